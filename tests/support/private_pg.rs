//! A PostgreSQL server of the test's own (Debian's binaries, a temporary
//! data directory, a free port), so that a test can crash and restart it
//! without touching the machine's server that other tests use.

use std::path::PathBuf;
use std::process::Command;

pub struct PrivatePostgres {
    pub port: u16,
    data: PathBuf,
    _dir: tempfile::TempDir,
}

impl PrivatePostgres {
    /// initdb and start (about two seconds).
    pub fn start() -> PrivatePostgres {
        let dir = tempfile::Builder::new()
            .prefix("pillars-pg-")
            .tempdir_in("/tmp")
            .expect("a temporary directory");
        let data = dir.path().join("data");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        // PostgreSQL refuses to run as root: the files are the postgres user's.
        chown_to_postgres(dir.path());
        run(&format!(
            "{}/initdb -D {} -A trust -U postgres --no-sync >/dev/null",
            bin_dir(),
            data.display()
        ));
        let pg = PrivatePostgres { port, data, _dir: dir };
        pg.start_again();
        pg
    }

    /// postgres://... for database `name` on this server.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// Stops at once, as a crash would (no checkpoint, connections cut).
    pub fn crash(&self) {
        run(&format!(
            "{}/pg_ctl -D {} -m immediate -w stop >/dev/null",
            bin_dir(),
            self.data.display()
        ));
    }

    /// Freezes the server and every backend (SIGSTOP): connections stay
    /// open and nothing answers, as when its machine hangs.
    pub fn freeze(&self) {
        self.signal("STOP");
    }

    /// Lets a frozen server go on (SIGCONT).
    pub fn thaw(&self) {
        self.signal("CONT");
    }

    fn signal(&self, signal: &str) {
        let pid = std::fs::read_to_string(self.data.join("postmaster.pid")).expect("postmaster.pid");
        let pid = pid.lines().next().expect("the postmaster's pid").trim();
        // Children first, so that none is left running while the postmaster stops.
        run(&format!("pkill -{signal} -P {pid}; kill -{signal} {pid}"));
    }

    /// Starts (again) and waits until it accepts connections.
    pub fn start_again(&self) {
        run(&format!(
            "{}/pg_ctl -D {} -w -o '-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off' start >/dev/null",
            bin_dir(),
            self.data.display(),
            self.port,
            self.data.parent().unwrap().display()
        ));
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        // Already stopped is fine here.
        let _ = shell(&format!(
            "{}/pg_ctl -D {} -m immediate stop >/dev/null 2>&1",
            bin_dir(),
            self.data.display()
        ));
    }
}

/// Debian installs each major version's server binaries side by side.
fn bin_dir() -> String {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL's server binaries (scripts/dev test installs them)")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("bin/initdb").exists())
        .collect();
    versions.sort();
    let newest = versions.pop().expect("an initdb under /usr/lib/postgresql");
    newest.join("bin").display().to_string()
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn chown_to_postgres(path: &std::path::Path) {
    if is_root() {
        let done = Command::new("chown").arg("postgres:").arg(path).status();
        assert!(done.is_ok_and(|s| s.success()), "chown {}", path.display());
    }
}

/// Runs a shell command, as the postgres user when we are root.
fn shell(command: &str) -> std::io::Result<std::process::ExitStatus> {
    if is_root() {
        Command::new("su")
            .args(["postgres", "-s", "/bin/sh", "-c", command])
            .status()
    } else {
        Command::new("sh").args(["-c", command]).status()
    }
}

fn run(command: &str) {
    assert!(shell(command).is_ok_and(|s| s.success()), "failed: {command}");
}
