//! A real SMTP server for tests that send email: Python's aiosmtpd, started per test on a
//! free port, storing each message it receives as a file.

use std::path::PathBuf;

use uuid::Uuid;

/// The SMTP sink: a Python process that stores each message it receives as a file.
pub struct SmtpSink {
    pub port: u16,
    dir: PathBuf,
    _child: tokio::process::Child,
}

const SINK: &str = r#"
import os, sys, threading, time
from aiosmtpd.controller import Controller
class Store:
    async def handle_DATA(self, server, session, envelope):
        path = os.path.join(sys.argv[1], "%d.eml" % time.time_ns())
        with open(path + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(path + ".tmp", path)
        return "250 OK"
Controller(Store(), hostname="127.0.0.1", port=int(sys.argv[2])).start()
print("ready", flush=True)
threading.Event().wait()
"#;

impl SmtpSink {
    /// Start a sink on a free loopback port (installs aiosmtpd with pip when it is missing).
    pub async fn start() -> SmtpSink {
        let has_aiosmtpd = std::process::Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !has_aiosmtpd {
            let installed = std::process::Command::new("python3")
                .args(["-m", "pip", "install", "--quiet", "aiosmtpd"])
                .status()
                .expect("python3 runs");
            assert!(installed.success(), "pip install aiosmtpd failed");
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = std::env::temp_dir().join(format!("trellis-smtp-{}", Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut child = tokio::process::Command::new("python3")
            .args(["-c", SINK, dir.to_str().unwrap(), &port.to_string()])
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("python3 starts");
        use tokio::io::AsyncBufReadExt;
        let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
        assert_eq!(lines.next_line().await.unwrap().as_deref(), Some("ready"));
        SmtpSink {
            port,
            dir,
            _child: child,
        }
    }

    /// Every message received so far, oldest first, as raw RFC 5322 text.
    pub fn messages(&self) -> Vec<String> {
        let mut files: Vec<_> = std::fs::read_dir(&self.dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    }
}
