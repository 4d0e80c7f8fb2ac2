<?php

/**
 * A misbehaving Backup Server (or a proxy in front of one) for the secrets tests: it answers
 * every request with an error that echoes what it was sent, in the form $SGWHMCS_ECHO_MODE names.
 * Started by EchoServer as `php -n -S 127.0.0.1:<port> echo-router.php`.
 *
 * Reading an account (`GET /api/v1/customers/<name>`, `…/resellers/<name>`) answers 404 and a
 * search by reference (`GET /api/v1/customers?reference=…`) an empty list in every mode, so that a
 * create with a derived name goes on to send its body.
 *
 * Modes (all answer an error, so nothing is ever created):
 * - quote-body: 400 `{"error":…}` whose message quotes the raw request body (so the passwords
 *   in it appear JSON-escaped the way serde_json wrote them);
 * - reencode-body: 422, the message holds the body decoded and encoded again by PHP's
 *   json_encode (`\/`, `\u00e9`, `\ud83d\ude00` forms);
 * - echo-headers: 502 `{"error":…}` from a "proxy" quoting the request headers
 *   (`Authorization: Basic base64(user:password)`);
 * - echo-headers-text: 500 text/plain, the request headers (a body that is not JSON);
 * - url-echo: 400 `{"error":…}` quoting the passwords URL-encoded (both `+` and `%20` forms,
 *   upper- and lowercase hex), and the Basic credential's user and password likewise;
 * - base64-body: 400 `{"error":…}` quoting the request line, headers and body in base64
 *   (standard and URL-safe), the secrets at any offset inside it;
 * - html: 400 text/html quoting the body with htmlspecialchars();
 * - passkey-echo: a create succeeds (201, the account as sent, without its password), and reading
 *   the pass key answers 502 quoting the request headers, as echo-headers does.
 */

declare(strict_types=1);

$mode = (string) getenv('SGWHMCS_ECHO_MODE');
$body = (string) file_get_contents('php://input');
$headers = '';
foreach (getallheaders() as $name => $value) {
    $headers .= "$name: $value\n";
}
$request = $_SERVER['REQUEST_METHOD'] . ' ' . $_SERVER['REQUEST_URI'];

/** The passwords the request carries: the body's and the Basic credential's (user, password). */
$passwords = function (string $body): array {
    $found = [];
    $decoded = json_decode($body, true);
    if (is_array($decoded) && isset($decoded['password']) && is_string($decoded['password'])) {
        $found[] = $decoded['password'];
    }
    $authorization = (string) ($_SERVER['HTTP_AUTHORIZATION'] ?? '');
    if (str_starts_with($authorization, 'Basic ')) {
        $pair = (string) base64_decode(substr($authorization, 6), true);
        $colon = strpos($pair, ':');
        if ($colon !== false) {
            $found[] = substr($pair, 0, $colon);
            $found[] = substr($pair, $colon + 1);
        }
    }
    return $found;
};

/** Sends an error answer in the Backup Server's JSON shape. */
$error = function (int $status, string $code, string $message): void {
    http_response_code($status);
    header('Content-Type: application/json');
    echo json_encode(['error' => ['code' => $code, 'message' => $message]]);
};

$readsAnAccount = preg_match('#^/api/v1/(customers|resellers)/[^/]+$#', $_SERVER['REQUEST_URI']) === 1;
if ($_SERVER['REQUEST_METHOD'] === 'GET' && $readsAnAccount) {
    $error(404, 'NOT_FOUND', 'no such account');
    return;
}
$searches = preg_match('#^/api/v1/(customers|resellers)\?reference=#', $_SERVER['REQUEST_URI'], $listed) === 1;
if ($_SERVER['REQUEST_METHOD'] === 'GET' && $searches) {
    header('Content-Type: application/json');
    echo json_encode([$listed[1] => []]);
    return;
}

if ($mode === 'passkey-echo') {
    $created = preg_match('#^/api/v1/(customer|reseller)s$#', $_SERVER['REQUEST_URI'], $collection) === 1;
    if ($_SERVER['REQUEST_METHOD'] === 'POST' && $created) {
        $account = json_decode($body, true);
        unset($account['password']);
        http_response_code(201);
        header('Content-Type: application/json');
        echo json_encode(['kind' => $collection[1]] + $account);
        return;
    }
    $mode = 'echo-headers';
}

switch ($mode) {
    case 'quote-body':
        $error(400, 'BAD_REQUEST', "could not read the request body: $body");
        break;
    case 'reencode-body':
        $decoded = json_decode($body, true);
        $error(422, 'INVALID', 'rejected ' . json_encode($decoded) . " for $request");
        break;
    case 'echo-headers':
        $error(502, 'BAD_GATEWAY', "proxy: the upstream refused $request\n$headers");
        break;
    case 'echo-headers-text':
        http_response_code(500);
        header('Content-Type: text/plain');
        echo "$headers\n$request\n$body";
        break;
    case 'url-echo':
        $forms = [];
        foreach ($passwords($body) as $i => $password) {
            $lower = preg_replace_callback('/%[0-9A-F]{2}/', fn ($m) => strtolower($m[0]), rawurlencode($password));
            $forms[] = "p$i=" . urlencode($password) . "&r$i=" . rawurlencode($password) . "&l$i=$lower";
        }
        $error(400, 'BAD_FORM', 'could not parse ' . implode('&', $forms));
        break;
    case 'base64-body':
        $all = "$request\n$headers\n$body";
        $error(400, 'BAD_REQUEST', 'debug dump ' . base64_encode($all) . ' url-safe '
            . rtrim(strtr(base64_encode("x$all"), '+/', '-_'), '='));
        break;
    case 'html':
        http_response_code(400);
        header('Content-Type: text/html');
        echo '<p>Bad request: ' . htmlspecialchars($body, ENT_QUOTES) . '</p>';
        break;
    default:
        $error(500, 'NO_MODE', "unknown SGWHMCS_ECHO_MODE \"$mode\"");
}
