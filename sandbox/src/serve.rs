//! The accept loop. It is axum's router under hyper, served by hand so that a response marked
//! [`DropConnection`] can close its connection without answering, as a real network failure would.

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::Router;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tower::ServiceExt;

use crate::faults::DropConnection;
use crate::Config;

/// A running sandbox; dropping it stops accepting connections.
pub struct Sandbox {
    addr: SocketAddr,
    accept: JoinHandle<()>,
}

#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on request")
    }
}

impl std::error::Error for Dropped {}

impl Sandbox {
    /// Builds the app from `config` and serves it on `addr` (port 0 picks a free one).
    pub async fn start(config: Config, addr: SocketAddr) -> Result<Self, String> {
        let app = crate::app(config)?;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let accept = tokio::spawn(accept_loop(listener, app));
        Ok(Self { addr, accept })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://addr`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Serves until the process ends.
    pub async fn wait(mut self) {
        let _ = (&mut self.accept).await;
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

async fn accept_loop(listener: TcpListener, app: Router) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Out of file descriptors or similar: give the system a moment rather than spin.
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            continue;
        };
        let app = app.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let app = app.clone();
                async move {
                    let response = app
                        .oneshot(request.map(axum::body::Body::new))
                        .await
                        .unwrap_or_else(|e: Infallible| match e {});
                    // An error from the service makes hyper close the connection unanswered.
                    match response.extensions().get::<DropConnection>() {
                        Some(_) => Err(Dropped),
                        None => Ok(response),
                    }
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
