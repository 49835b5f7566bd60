//! Slow and idle connections are closed: a client gets `HEADER_TIMEOUT` to send its request's
//! headers and to start its next request on a kept-alive connection; the server keeps serving.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use reelsmith_testkit::WriterLlm;
use reelsmith_web::listen::HEADER_TIMEOUT;
use std::sync::Arc;

use crate::common::Server;

/// Seconds until the server closes `s` (reads until EOF or a reset), at most 30.
fn closed_after(mut s: TcpStream, started: Instant) -> Duration {
    let _ = s.set_read_timeout(Some(Duration::from_secs(30)));
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => return started.elapsed(),
            Ok(_) => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn slow_and_idle_connections_are_closed() {
    let s = Server::start(Arc::new(WriterLlm::new(Duration::ZERO))).await;
    let addr = s.base.trim_start_matches("http://").to_string();
    let checks = tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        let connect = || TcpStream::connect(&addr).unwrap_or_else(|e| unreachable!("{e}"));
        let mut threads = Vec::new();
        // Idle: connect and say nothing.
        for _ in 0..20 {
            let c = connect();
            threads.push(std::thread::spawn(move || closed_after(c, started)));
        }
        // Slowloris: a header line dribbled out a byte a second.
        let mut slow = connect();
        threads.push(std::thread::spawn(move || {
            for b in b"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" {
                if slow.write_all(&[*b]).is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_secs(1));
            }
            started.elapsed()
        }));
        // Kept alive after one answered request, then idle.
        let mut kept = connect();
        let _ = kept.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n");
        threads.push(std::thread::spawn(move || closed_after(kept, started)));
        // Meanwhile a normal request is answered.
        let mut ok = connect();
        let _ = ok.write_all(
            b"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        );
        let mut answer = String::new();
        let _ = ok.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        threads
            .into_iter()
            .map(|t| t.join().unwrap_or(Duration::MAX))
            .collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    assert_eq!(checks.len(), 22);
    let limit = HEADER_TIMEOUT + Duration::from_secs(5);
    for (i, closed) in checks.iter().enumerate() {
        assert!(*closed < limit, "connection {i} open for {closed:?}");
    }
}
