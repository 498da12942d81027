//! The accept loop. Hand-rolled over hyper (instead of `axum::serve`) for one
//! reason: the "drop" fault must be able to close a request's TCP connection
//! without sending a single byte, which needs a handle on the connection task.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tower::ServiceExt;

use crate::pipeline::ConnKiller;

pub async fn serve(listener: TcpListener, app: Router) {
    loop {
        let (stream, addr) = match listener.accept().await {
            Ok(x) => x,
            Err(e) => {
                // Out of file descriptors and the like: back off instead of spinning.
                eprintln!("agoralia-sandbox: accept failed: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let router = app.clone();
        tokio::spawn(connection(stream, addr, router));
    }
}

async fn connection(stream: tokio::net::TcpStream, addr: SocketAddr, router: Router) {
    let kill = Arc::new(Notify::new());
    let killer = ConnKiller(kill.clone());
    let svc = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(killer.clone());
        req.extensions_mut().insert(ConnectInfo(addr));
        router.clone().oneshot(req.map(Body::new))
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), svc);
    tokio::select! {
        res = conn => {
            if let Err(e) = res {
                if !e.is_incomplete_message() {
                    eprintln!("agoralia-sandbox: connection {addr}: {e}");
                }
            }
        }
        // Dropping `conn` here drops the socket: the client sees the connection close.
        _ = kill.notified() => {}
    }
}
