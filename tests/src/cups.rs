//! A private CUPS server for printing tests: its own configuration, spool and Unix socket in
//! a temporary directory, and one queue whose jobs are held, so a test can read back exactly
//! what arrived. Clients reach it through `CUPS_SERVER` (set per command, never globally).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `cupsd`, stopped when dropped.
pub struct CupsServer {
    dir: tempfile::TempDir,
    child: Child,
    pub queue: String,
}

const CUPSD_CONF: &str = "LogLevel warn
DirtyCleanInterval 0
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
";

impl CupsServer {
    /// Starts `cupsd` and adds the queue `kinko-test` (held: jobs stay in the spool).
    pub fn start() -> CupsServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        for sub in ["spool", "tmp", "cache", "state", "log", "ppd"] {
            std::fs::create_dir_all(root.join(sub)).expect("cups dir");
        }
        let socket = root.join("cups.sock");
        std::fs::write(
            root.join("cupsd.conf"),
            format!("Listen {}\n{CUPSD_CONF}", socket.display()),
        )
        .expect("conf");
        let files = format!(
            "ServerRoot {r}\nRequestRoot {r}/spool\nTempDir {r}/tmp\nCacheDir {r}/cache\nStateDir {r}/state\n\
             ErrorLog {r}/log/error_log\nAccessLog {r}/log/access_log\nPageLog {r}/log/page_log\nFileDevice Yes\n",
            r = root.display()
        );
        std::fs::write(root.join("cups-files.conf"), files).expect("files conf");
        let child = Command::new("cupsd")
            .args(["-f", "-c"])
            .arg(root.join("cupsd.conf"))
            .arg("-s")
            .arg(root.join("cups-files.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cupsd (apt install cups-daemon cups-client) could not be started");
        let server = CupsServer {
            dir,
            child,
            queue: "kinko-test".into(),
        };
        server.wait_for_socket(&socket);
        let sink = server.dir.path().join("printed");
        server.admin(
            "lpadmin",
            &[
                "-p",
                "kinko-test",
                "-v",
                &format!("file://{}", sink.display()),
                "-E",
                "-m",
                "raw",
            ],
        );
        server.admin("lpadmin", &["-d", "kinko-test"]);
        server.admin("cupsdisable", &["kinko-test"]);
        server
    }

    fn wait_for_socket(&self, socket: &Path) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(30) {
            let ok = Command::new("lpstat")
                .env("CUPS_SERVER", socket)
                .arg("-r")
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).contains("is running"))
                .unwrap_or(false);
            if ok {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("cupsd did not start; log:\n{}", self.log());
    }

    fn admin(&self, program: &str, args: &[&str]) {
        let out = self.command(program).args(args).output().expect(program);
        assert!(
            out.status.success(),
            "{program} {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The value for `CUPS_SERVER`.
    pub fn socket(&self) -> PathBuf {
        self.dir.path().join("cups.sock")
    }

    /// A command set up to talk to this server.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("CUPS_SERVER", self.socket()).env("LC_ALL", "C");
        cmd
    }

    /// The documents of the held jobs, in job order, as they arrived.
    pub fn job_documents(&self) -> Vec<Vec<u8>> {
        let mut names: Vec<_> = std::fs::read_dir(self.dir.path().join("spool"))
            .expect("spool")
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .filter(|n| n.starts_with('d'))
            .collect();
        names.sort();
        names
            .iter()
            .map(|n| std::fs::read(self.dir.path().join("spool").join(n)).expect("job file"))
            .collect()
    }

    /// The `copies` each held job asked for (read from the job's IPP control file).
    pub fn job_copies(&self) -> Vec<Option<u32>> {
        let mut names: Vec<_> = std::fs::read_dir(self.dir.path().join("spool"))
            .expect("spool")
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .filter(|n| n.starts_with('c'))
            .collect();
        names.sort();
        names
            .iter()
            .map(|n| {
                ipp_integer(
                    &std::fs::read(self.dir.path().join("spool").join(n)).expect("control file"),
                    b"copies",
                )
            })
            .collect()
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("log/error_log")).unwrap_or_default()
    }
}

impl Drop for CupsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Finds an IPP integer attribute (tag 0x21) named `name` in an encoded attribute list.
fn ipp_integer(data: &[u8], name: &[u8]) -> Option<u32> {
    let mut pattern = vec![0x21, 0, name.len() as u8];
    pattern.extend_from_slice(name);
    pattern.extend_from_slice(&[0, 4]);
    let at = data
        .windows(pattern.len())
        .position(|w| w == pattern.as_slice())?
        + pattern.len();
    let value = data.get(at..at + 4)?;
    Some(u32::from_be_bytes(value.try_into().ok()?))
}
