//! Only the API's own answers count (issue 16): the client against a scripted server that is not
//! the Backup Server API (a web server on the wrong port, a stock console, a proxy's page). "Not
//! found" and "wrong credentials" come only from the API's JSON error body; `GET /server` must
//! identify itself (`"api": "backup-server/1"`); a state change succeeds only when the answer
//! shows the state asked for.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::thread;
use std::time::Duration;

use sgwhmcs_core::server::api::{Code, ErrorCode, Kind};
use sgwhmcs_core::server::api_identity::API_IDENTITY;
use sgwhmcs_core::server::client::{Client, ClientError, LogRecord, NetSettings};
use sgwhmcs_core::server::endpoint::{Endpoint, Scheme, Secret};
use sgwhmcs_core::server::tls::Timeouts;

/// One scripted answer: status, Content-Type, body.
type Answer = (u16, &'static str, String);

const JSON: &str = "application/json";
const HTML: &str = "text/html; charset=UTF-8";
const TEXT: &str = "text/plain";

/// Serves `script` one answer per request, each on its own connection; answers the port.
fn serve(script: Vec<Answer>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for (status, kind, body) in script {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                if header.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = header.split_once(':') {
                    if k.eq_ignore_ascii_case("content-length") {
                        length = v.trim().parse().unwrap();
                    }
                }
            }
            let mut request_body = vec![0; length];
            reader.read_exact(&mut request_body).unwrap();
            let mut out = stream;
            let head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            out.write_all(head.as_bytes()).unwrap();
            out.write_all(body.as_bytes()).unwrap();
        }
    });
    port
}

/// Runs `f` with a client of the scripted server answering `script`.
fn with<R>(script: Vec<Answer>, f: impl FnOnce(&mut Client) -> R) -> R {
    let port = serve(script);
    let endpoint = Endpoint {
        scheme: Scheme::Http,
        host: "127.0.0.1".into(),
        port,
        user: "admin".into(),
        password: Secret::new("pw"),
        pin: None,
    };
    let net = NetSettings {
        timeouts: Timeouts {
            connect: Duration::from_secs(3),
            overall: Duration::from_secs(10),
        },
        ca_file: None,
    };
    let mut sink = |_: LogRecord| {};
    let mut client = Client::new(&endpoint, &net, &mut sink).unwrap();
    f(&mut client)
}

fn a(status: u16, kind: &'static str, body: &str) -> Answer {
    (status, kind, body.to_string())
}

/// Asserts that `e` is "not a Backup Server API endpoint" for HTTP `status`, not ambiguous.
fn assert_not_api(e: &ClientError, status: u16, came: &str) {
    let text = e.to_string();
    assert!(matches!(e, ClientError::NotApi { .. }), "{e:?}");
    assert!(
        !e.is_ambiguous(),
        "nothing was done by a server that is not the API: {text}"
    );
    assert_eq!(e.code(), None, "{text}");
    assert!(
        text.starts_with("this is not a Backup Server API endpoint: the server at 127.0.0.1:"),
        "{text}"
    );
    assert!(
        text.contains(&format!("answered HTTP {status} with {came}")),
        "{text}"
    );
}

#[test]
fn get_server_must_identify_itself_as_the_api() {
    let ours = format!(
        r#"{{"api":"{API_IDENTITY}","product":"Backup Server","version":"9","edition":"x"}}"#
    );
    let info = with(vec![a(200, JSON, &ours)], |c| c.server_info()).unwrap();
    assert_eq!(info.api, API_IDENTITY);
    assert_eq!(info.product, "Backup Server");

    let others = [
        (a(200, JSON, "{}"), "JSON that does not identify itself as the Backup Server API"),
        (
            a(200, JSON, r#"{"product":"nginx","version":"1.25"}"#),
            "JSON that does not identify itself as the Backup Server API (no \"api\": \"backup-server/1\")",
        ),
        (a(200, JSON, r#"{"api":"other/1"}"#), "JSON that does not identify"),
        (a(200, JSON, r#"{"api":1}"#), "JSON that does not identify"),
        (a(200, JSON, "[]"), "JSON that is not the API's JSON"),
        (
            a(200, HTML, "<html><title>Welcome to nginx!</title></html>"),
            "an HTML page instead of the API's JSON: <html><title>Welcome to nginx!",
        ),
        // Labelled JSON, but a page: still not the API's answer to GET /server.
        (a(200, JSON, "<html>It works!</html>"), "an HTML page"),
        (a(200, TEXT, "It works!"), "plain text instead of the API's JSON"),
        (a(404, HTML, "<h1>Not Found</h1>"), "an HTML page instead of the API's JSON error"),
        (a(404, JSON, r#"{"detail":"Not Found"}"#), "JSON that is not the API's JSON error"),
        (a(401, HTML, "<html>Login required</html>"), "an HTML page"),
    ];
    for (answer, came) in others {
        let status = answer.0;
        let e = with(vec![answer], |c| c.server_info()).unwrap_err();
        assert_not_api(&e, status, came);
    }

    // Another version of this contract is named as such, not as "not the API".
    let e = with(vec![a(200, JSON, r#"{"api":"backup-server/2"}"#)], |c| {
        c.server_info()
    })
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("it speaks \"backup-server/2\" while this module speaks \"backup-server/1\""),
        "{e}"
    );
}

#[test]
fn a_404_is_not_found_only_in_the_apis_own_words() {
    let api = r#"{"error":{"code":"NOT_FOUND","message":"no customer named \"a\""}}"#;
    let found = with(vec![a(404, JSON, api)], |c| c.find(Kind::Customer, "a")).unwrap();
    assert!(found.is_none(), "the API's NOT_FOUND is no account");
    let e = with(vec![a(404, JSON, api)], |c| {
        c.set_active(Kind::Customer, "a", false)
    })
    .unwrap_err();
    assert_eq!(
        e.code(),
        Some(&ErrorCode::Known(Code::NotFound)),
        "the one code a caller matches"
    );

    let others = [
        a(404, HTML, "<html><body>404 Not Found</body></html>"),
        a(404, JSON, r#"{"detail":"Not Found"}"#),
        a(404, JSON, r#"{"error":"not found"}"#),
        a(404, TEXT, "404 page not found"),
    ];
    for answer in others {
        let e = with(vec![answer.clone(), answer.clone()], |c| {
            c.find(Kind::Customer, "a")
        })
        .unwrap_err();
        assert_not_api(&e, 404, "");
        // Deactivating (Terminate) against it is not "already gone": it fails, not ambiguous.
        let e = with(vec![answer.clone()], |c| {
            c.set_active(Kind::Customer, "a", false)
        })
        .unwrap_err();
        assert_not_api(&e, 404, "");
        let e = with(vec![answer], |c| c.delete_retaining(Kind::Customer, "a")).unwrap_err();
        assert_not_api(&e, 404, "");
    }
}

#[test]
fn a_401_is_wrong_credentials_only_in_the_apis_own_words() {
    let api = r#"{"error":{"code":"AUTH_FAILED","message":"wrong user name or password"}}"#;
    let e = with(vec![a(401, JSON, api)], |c| c.server_info()).unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::Known(Code::AuthFailed)));
    assert_eq!(
        sgwhmcs_core::functions::provision::explain(&e),
        "the Backup Server rejected the user name or password (AUTH_FAILED); check UserName and Password"
    );
    let e = with(vec![a(401, HTML, "<html>Please log in</html>")], |c| {
        c.set_active(Kind::Customer, "a", true)
    })
    .unwrap_err();
    assert_not_api(&e, 401, "an HTML page");
    assert!(!sgwhmcs_core::functions::provision::explain(&e).contains("AUTH_FAILED"));
}

#[test]
fn a_page_labelled_html_is_never_a_success() {
    let page = a(
        200,
        HTML,
        "<!DOCTYPE html><html><title>Console</title></html>",
    );
    let e = with(vec![page.clone()], |c| {
        c.set_active(Kind::Customer, "a", false)
    })
    .unwrap_err();
    assert_not_api(&e, 200, "an HTML page instead of the API's JSON");
    let e = with(vec![page.clone()], |c| c.reset_passkey("a")).unwrap_err();
    assert_not_api(&e, 200, "an HTML page");
    // A page where a pass key was asked for may hold the key: never quoted.
    let keyed = a(
        200,
        HTML,
        "<html><body>Your key: K7Q2K7Q2K7Q2K7Q2</body></html>",
    );
    let e = with(vec![keyed], |c| c.passkey("a")).unwrap_err();
    assert_not_api(&e, 200, "an HTML page instead of the API's JSON (");
    assert!(!e.to_string().contains("K7Q2"), "{e}");
    let e = with(vec![page], |c| c.delete_retaining(Kind::Customer, "a")).unwrap_err();
    assert_not_api(&e, 200, "an HTML page");
    // Labelled JSON but broken (sgsim's `garbage`): the API's answer spoiled, so ambiguous.
    let e = with(vec![a(200, JSON, "<html>oops</html>")], |c| {
        c.set_active(Kind::Customer, "a", false)
    })
    .unwrap_err();
    assert!(matches!(e, ClientError::BadAnswer(_)), "{e:?}");
    assert!(e.is_ambiguous());
}

#[test]
fn a_state_change_succeeds_only_when_the_answer_shows_the_state() {
    let shown = a(
        200,
        JSON,
        r#"{"name":"a","kind":"customer","active":false}"#,
    );
    let account = with(vec![shown], |c| c.set_active(Kind::Customer, "a", false)).unwrap();
    assert_eq!(account.active, Some(false));

    for body in [
        r#"{"name":"a","kind":"customer"}"#,
        r#"{"name":"a","kind":"customer","active":null}"#,
    ] {
        let e = with(vec![a(200, JSON, body)], |c| {
            c.set_active(Kind::Customer, "a", false)
        })
        .unwrap_err();
        assert!(matches!(e, ClientError::BadAnswer(_)), "{body}: {e:?}");
        assert!(
            e.is_ambiguous(),
            "unconfirmed: the caller reads back: {body}"
        );
        assert!(
            e.to_string().contains(
                "it does not say whether the customer \"a\" is active (no \"active\") after it was asked to deactivate it"
            ),
            "{e}"
        );
    }

    let e = with(
        vec![a(
            200,
            JSON,
            r#"{"name":"a","kind":"customer","active":true}"#,
        )],
        |c| c.set_active(Kind::Customer, "a", false),
    )
    .unwrap_err();
    assert!(matches!(e, ClientError::Mismatch(_)), "{e:?}");
}

#[test]
fn a_proxys_5xx_page_stays_ambiguous() {
    let e = with(vec![a(502, HTML, "<html>502 Bad Gateway</html>")], |c| {
        c.set_active(Kind::Customer, "a", false)
    })
    .unwrap_err();
    assert!(matches!(e, ClientError::Api { status: 502, .. }), "{e:?}");
    assert!(
        e.is_ambiguous(),
        "the API behind the proxy may have done it"
    );
}
