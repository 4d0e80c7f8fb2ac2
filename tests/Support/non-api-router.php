<?php

/**
 * A server that is not the Backup Server API, as a server entry pointing at the wrong port or the
 * wrong host meets one: a web server's error page, a JSON service of something else, a web page
 * answering every path, a console asking for a login. Started by EchoServer::routed() as
 * `php -n -S 127.0.0.1:<port> non-api-router.php` with SGWHMCS_NONAPI_MODE naming what it answers
 * to every request (whatever the method, path and credentials):
 *
 * - html-404: 404 text/html, nginx's "404 Not Found" page;
 * - json-404: 404 application/json `{"detail":"Not Found"}` (a Python web framework's);
 * - json-error-string-404: 404 application/json `{"error":"not found"}` (an `error` that is not
 *   the API's error object);
 * - text-404: 404 text/plain `404 page not found` (Go's);
 * - html-200: 200 text/html, a web server's welcome page;
 * - server-empty-json: `GET /api/v1/server` 200 `{}`, anything else as json-404;
 * - server-nginx-json: `GET /api/v1/server` 200 `{"product":"nginx","version":"1.25.3"}` (a
 *   "product" but no API identity), anything else as json-404;
 * - html-401: 401 text/html with `WWW-Authenticate: Basic realm="Console"`, a stock console's
 *   login page.
 */

declare(strict_types=1);

$mode = (string) getenv('SGWHMCS_NONAPI_MODE');
// One line per request in the server's log (EchoServer::log()), so a test sees what was asked.
file_put_contents('php://stderr', "request: {$_SERVER['REQUEST_METHOD']} {$_SERVER['REQUEST_URI']}\n");

$send = function (int $status, string $type, string $body, array $headers = []): void {
    http_response_code($status);
    header("Content-Type: $type");
    foreach ($headers as $line) {
        header($line);
    }
    echo $body;
};

$html404 = function () use ($send): void {
    $send(404, 'text/html', "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
        . "<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
};
$json404 = function () use ($send): void {
    $send(404, 'application/json', '{"detail":"Not Found"}');
};

$isServer = $_SERVER['REQUEST_METHOD'] === 'GET'
    && parse_url((string) $_SERVER['REQUEST_URI'], PHP_URL_PATH) === '/api/v1/server';

switch ($mode) {
    case 'html-404':
        $html404();
        break;
    case 'json-404':
        $json404();
        break;
    case 'json-error-string-404':
        $send(404, 'application/json', '{"error":"not found"}');
        break;
    case 'text-404':
        $send(404, 'text/plain; charset=utf-8', "404 page not found\n");
        break;
    case 'html-200':
        $send(200, 'text/html; charset=UTF-8', "<!DOCTYPE html>\n<html><head><title>Welcome to nginx!</title></head>"
            . "<body><h1>Welcome to nginx!</h1></body></html>\n");
        break;
    case 'server-empty-json':
        $isServer ? $send(200, 'application/json', '{}') : $json404();
        break;
    case 'server-nginx-json':
        $isServer ? $send(200, 'application/json', '{"product":"nginx","version":"1.25.3"}') : $json404();
        break;
    case 'html-401':
        $send(401, 'text/html', "<!DOCTYPE html>\n<html><head><title>Sign in</title></head>"
            . "<body><form method=\"post\"><input name=\"user\"><input name=\"password\" type=\"password\">"
            . "</form></body></html>\n", ['WWW-Authenticate: Basic realm="Console"']);
        break;
    default:
        $send(500, 'text/plain', "unknown SGWHMCS_NONAPI_MODE \"$mode\"");
}
