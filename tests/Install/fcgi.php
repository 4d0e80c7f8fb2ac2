<?php

/**
 * A minimal FastCGI client (the install test's and bench/fpm.sh's way to ask php-fpm directly,
 * without a web server): runs SCRIPT in the php-fpm listening on ADDRESS and prints its body.
 *
 *   php tests/Install/fcgi.php tcp://127.0.0.1:PORT /abs/path/script.php [QUERY_STRING]
 *
 * Exit status 0 when php-fpm answered (its body on stdout), 1 otherwise.
 */

// phpcs:disable PSR1.Files.SideEffects

declare(strict_types=1);

[, $address, $script] = $argv + [null, null, null];
$query = $argv[3] ?? '';
if (!is_string($address) || !is_string($script)) {
    fwrite(STDERR, "usage: php fcgi.php tcp://HOST:PORT SCRIPT [QUERY]\n");
    exit(2);
}

/** One FastCGI record (version 1, request id 1). */
function record(int $type, string $content): string
{
    return pack('CCnnCx', 1, $type, 1, strlen($content), 0) . $content;
}

/** A name-value pair, short lengths only (every name and value here is under 128 bytes). */
function pair(string $name, string $value): string
{
    return chr(strlen($name)) . chr(strlen($value)) . $name . $value;
}

$socket = @stream_socket_client($address, $errno, $error, 5);
if ($socket === false) {
    fwrite(STDERR, "fcgi: cannot connect to $address: $error\n");
    exit(1);
}
stream_set_timeout($socket, 20);
$params = '';
foreach (
    [
        'SCRIPT_FILENAME' => $script, 'SCRIPT_NAME' => '/' . basename($script),
        'REQUEST_METHOD' => 'GET', 'QUERY_STRING' => $query, 'SERVER_PROTOCOL' => 'HTTP/1.1',
        'GATEWAY_INTERFACE' => 'CGI/1.1', 'REMOTE_ADDR' => '127.0.0.1', 'SERVER_NAME' => 'localhost',
    ] as $name => $value
) {
    $params .= pair($name, $value);
}
// BEGIN_REQUEST (role responder, no keep-alive), PARAMS, end of PARAMS, end of STDIN.
fwrite($socket, record(1, pack('nCx5', 1, 0)) . record(4, $params) . record(4, '') . record(5, ''));
$stdout = '';
while (!feof($socket)) {
    $header = fread($socket, 8);
    if ($header === false || strlen($header) < 8) {
        break;
    }
    $h = unpack('Cversion/Ctype/nid/nlength/Cpadding', $header);
    $content = $h['length'] + $h['padding'] > 0 ? stream_get_contents($socket, $h['length'] + $h['padding']) : '';
    if ($h['type'] === 6) {
        $stdout .= substr((string)$content, 0, $h['length']);
    } elseif ($h['type'] === 3) {
        break;
    }
}
$at = strpos($stdout, "\r\n\r\n");
if ($at === false) {
    fwrite(STDERR, "fcgi: no answer from php-fpm at $address\n");
    exit(1);
}
echo substr($stdout, $at + 4);
exit(0);
