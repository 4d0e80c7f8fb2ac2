//! The accept loop: TCP (optionally TLS via tokio-rustls), one hyper HTTP/1.1 connection task per
//! client, and a per-connection kill switch that lets a fault close the socket without an answer.

use axum::body::Body;
use axum::Router;
use hyper::body::Incoming;
use hyper::Request;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt as _;

/// How long a client may take to finish the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Closes the connection it was handed to, at once and without an answer. Every request
/// carries one in its extensions.
#[derive(Clone, Default)]
pub struct ConnKill(Arc<Notify>);

impl ConnKill {
    /// Close the connection (the connection task drops the socket).
    pub fn kill(&self) {
        self.0.notify_one();
    }
}

/// Accept connections forever, serving each with `app`.
pub async fn serve(listener: TcpListener, tls: Option<TlsAcceptor>, app: Router) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors and the like: wait a little rather than spin.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                None => connection(stream, app).await,
                Some(acceptor) => {
                    if let Ok(Ok(s)) =
                        tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await
                    {
                        connection(s, app).await;
                    }
                }
            }
        });
    }
}

/// Serve one connection until the client closes it, it fails, or a fault kills it.
async fn connection<IO>(io: IO, app: Router)
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let kill = ConnKill::default();
    let handle = kill.clone();
    let service = hyper::service::service_fn(move |req: Request<Incoming>| {
        let mut req = req.map(Body::new);
        req.extensions_mut().insert(handle.clone());
        app.clone().oneshot(req)
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(60))
        .serve_connection(TokioIo::new(io), service);
    tokio::select! {
        _ = conn => {}
        _ = kill.0.notified() => {}
    }
}
