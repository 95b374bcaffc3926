//! The nightly regression on a real Slurm cluster: `scripts/slurm/submit` fans the smoke
//! matrix out as an array of shards and a dependent merge job, and the merged
//! `summary.json` and `junit.xml` must be byte-identical to an unsharded local run's.
//!
//! The test starts a private single-node cluster on this machine — its own munged (as
//! the munge user, with its own key and socket), slurmctld and slurmd (as root) on free
//! ports, everything in a temporary directory — and tears it down when it ends, passed or
//! not. It needs root and the Debian packages `scripts/setup` installs. The cosim binary
//! is this package's unless `COSIM_SLURM_TEST_BIN` names another (a stand-in while
//! developing the scripts).

use std::fs;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

const NODE: &str = "cosimnode";
const PARTITION: &str = "cosimtest";
const SHARDS: u32 = 2;
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
const FARM_TIMEOUT: Duration = Duration::from_secs(900);

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// `name` in PATH or in the sbin directories (which a non-login root shell may lack).
fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// A TCP port nothing listens on now (the kernel's pick), so that the test does not
/// collide with a real Slurm or another run of itself.
fn free_port() -> u16 {
    TcpListener::bind("0.0.0.0:0")
        .and_then(|l| l.local_addr())
        .expect("find a free TCP port")
        .port()
}

/// The last `n` lines of a file, or why there are none.
fn tail(path: &Path, n: usize) -> String {
    match fs::read_to_string(path) {
        Ok(text) => {
            let lines: Vec<&str> = text.lines().collect();
            lines[lines.len().saturating_sub(n)..].join("\n")
        }
        Err(e) => format!("({e})"),
    }
}

/// The uid and gid of a user in /etc/passwd.
fn user_ids(name: &str) -> Option<(u32, u32)> {
    let passwd = fs::read_to_string("/etc/passwd").ok()?;
    let line = passwd.lines().find(|l| l.split(':').next() == Some(name))?;
    let fields: Vec<&str> = line.split(':').collect();
    Some((fields.get(2)?.parse().ok()?, fields.get(3)?.parse().ok()?))
}

/// Runs a command to its end or until `timeout`, its output in `log`.
fn run_logged(cmd: &mut Command, log: &Path, timeout: Duration) -> Result<ExitStatus, String> {
    let file = fs::File::create(log).unwrap();
    let mut child = cmd
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .spawn()
        .map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Ok(status);
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("{cmd:?} did not end within {timeout:?}"));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A single-node Slurm cluster whose daemons are this process's children; dropping it
/// cancels its jobs and stops them.
struct Cluster {
    dir: tempfile::TempDir,
    conf: PathBuf,
    daemons: Vec<(&'static str, Child)>,
}

impl Cluster {
    fn start(cpus: usize) -> Cluster {
        let dir = tempfile::Builder::new()
            .prefix("cosim-slurm-")
            .tempdir()
            .expect("create the cluster's directory");
        // munged checks that every directory above its socket is searchable by all.
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
        let mut cluster = Cluster {
            conf: dir.path().join("slurm.conf"),
            dir,
            daemons: Vec::new(),
        };
        cluster.start_munged();
        cluster.write_conf(cpus);
        for d in ["state", "spool", "log"] {
            fs::create_dir(cluster.path(d)).unwrap();
        }
        let mut ctld = cluster.slurm_command(&find_program("slurmctld").unwrap());
        ctld.args(["-D", "-i"]);
        cluster.spawn("slurmctld", ctld);
        let mut slurmd = cluster.slurm_command(&find_program("slurmd").unwrap());
        slurmd.args(["-D", "-N", NODE]);
        cluster.spawn("slurmd", slurmd);
        cluster
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn start_munged(&mut self) {
        let (uid, gid) = user_ids("munge")
            .expect("no munge user: the munge package is not installed; run scripts/setup");
        let munge = self.path("munge");
        fs::create_dir(&munge).unwrap();
        // A key of our own, so the test needs nothing from /etc/munge.
        let key = munge.join("munge.key");
        let mut bytes = vec![0u8; 1024];
        use std::io::Read;
        fs::File::open("/dev/urandom")
            .and_then(|mut f| f.read_exact(&mut bytes))
            .expect("read /dev/urandom");
        fs::write(&key, bytes).unwrap();
        fs::set_permissions(&key, fs::Permissions::from_mode(0o600)).unwrap();
        for p in [&munge, &key] {
            std::os::unix::fs::chown(p, Some(uid), Some(gid)).unwrap();
        }
        let mut cmd = Command::new(find_program("munged").unwrap());
        cmd.arg("--foreground")
            .arg(format!("--socket={}", munge.join("munge.socket").display()))
            .arg(format!("--key-file={}", key.display()))
            .arg(format!("--pid-file={}", munge.join("munged.pid").display()))
            .arg(format!(
                "--seed-file={}",
                munge.join("munged.seed").display()
            ))
            .arg(format!("--log-file={}", munge.join("munged.log").display()))
            .uid(uid)
            .gid(gid);
        self.spawn("munged", cmd);
        let socket = munge.join("munge.socket");
        let start = Instant::now();
        while !socket.exists() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "munged did not create its socket\n{}",
                self.logs()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn write_conf(&self, cpus: usize) {
        let host = fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
        // slurmctld checks that SlurmctldHost is this machine's short host name.
        let host = host.trim().split('.').next().unwrap();
        let d = self.dir.path().display();
        let (ctld_port, slurmd_port) = (free_port(), free_port());
        let conf = format!(
            "ClusterName=cosimtest
SlurmctldHost={host}(127.0.0.1)
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={d}/munge/munge.socket
StateSaveLocation={d}/state
SlurmdSpoolDir={d}/spool
SlurmctldPidFile={d}/slurmctld.pid
SlurmdPidFile={d}/slurmd.pid
SlurmctldLogFile={d}/log/slurmctld.log
SlurmdLogFile={d}/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# No cgroups and no accounting: nothing outside this directory is touched.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
# A failed shard cancels the merge job instead of leaving it pending forever.
DependencyParameters=kill_invalid_depend
ReturnToService=2
NodeName={NODE} NodeHostname={host} NodeAddr=127.0.0.1 CPUs={cpus} State=UNKNOWN
PartitionName={PARTITION} Nodes={NODE} Default=YES MaxTime=INFINITE State=UP
"
        );
        fs::write(&self.conf, conf).unwrap();
    }

    /// A Slurm command talking to this cluster only: its configuration, and none of
    /// the caller's own SLURM_* / SBATCH_* settings.
    fn slurm_command(&self, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy();
            if key.starts_with("SLURM_") || key.starts_with("SBATCH_") {
                cmd.env_remove(&*key);
            }
        }
        cmd.env("SLURM_CONF", &self.conf);
        cmd
    }

    fn spawn(&mut self, name: &'static str, mut cmd: Command) {
        let out = fs::File::create(self.path(&format!("{name}.out"))).unwrap();
        let child = cmd
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        self.daemons.push((name, child));
    }

    /// Waits until the node takes jobs, or panics with the daemons' logs.
    fn wait_idle(&mut self) {
        let start = Instant::now();
        let sinfo = find_program("sinfo").unwrap();
        loop {
            let ended = self
                .daemons
                .iter_mut()
                .find_map(|(name, child)| Some((*name, child.try_wait().unwrap()?)));
            if let Some((name, status)) = ended {
                panic!(
                    "{name} ended ({status}) while the cluster started\n{}",
                    self.logs()
                );
            }
            let out = self
                .slurm_command(&sinfo)
                .args(["-h", "-N", "-n", NODE, "-o", "%t"])
                .output()
                .unwrap();
            if String::from_utf8_lossy(&out.stdout).trim() == "idle" {
                return;
            }
            assert!(
                start.elapsed() < IDLE_TIMEOUT,
                "node {NODE} not idle after {IDLE_TIMEOUT:?}: sinfo says {:?} {:?}\n{}",
                String::from_utf8_lossy(&out.stdout).trim(),
                String::from_utf8_lossy(&out.stderr).trim(),
                self.logs()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The tails of the daemons' logs, for failure messages.
    fn logs(&self) -> String {
        let mut text = String::new();
        // munged in the foreground logs to stderr.
        for log in ["log/slurmctld.log", "log/slurmd.log", "munged.out"] {
            text += &format!(
                "--- {log} (last 30 lines):\n{}\n",
                tail(&self.path(log), 30)
            );
        }
        text
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Jobs run in slurmstepd processes that outlive slurmd: cancel them first, and
        // give slurmd the time to end them.
        if let (Some(scancel), Some(squeue)) = (find_program("scancel"), find_program("squeue")) {
            let _ = self
                .slurm_command(&scancel)
                .args(["-p", PARTITION])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(10) {
                let jobs = self
                    .slurm_command(&squeue)
                    .args(["-h", "-p", PARTITION])
                    .output();
                if !jobs.is_ok_and(|o| o.status.success() && !o.stdout.is_empty()) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        }
        while let Some((_, mut child)) = self.daemons.pop() {
            // SIGTERM lets slurmctld stop its slurmscriptd; SIGKILL if it hangs.
            // SAFETY: kill has no memory preconditions; the pid is our unreaped child.
            unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
            let start = Instant::now();
            while matches!(child.try_wait(), Ok(None)) && start.elapsed() < Duration::from_secs(10)
            {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
fn sharded_slurm_run_merges_to_the_unsharded_result() {
    // SAFETY: geteuid has no preconditions.
    assert_eq!(
        unsafe { libc::geteuid() },
        0,
        "the Slurm test must run as root (as CI does): it starts slurmd, and munged as the munge user"
    );
    for program in [
        "munged",
        "slurmctld",
        "slurmd",
        "sbatch",
        "sinfo",
        "scontrol",
        "scancel",
        "squeue",
    ] {
        assert!(
            find_program(program).is_some(),
            "{program} not found: run scripts/setup (it installs slurmctld, slurmd, slurm-client and munge)"
        );
    }
    let repo = repo_root();
    let cosim = std::env::var_os("COSIM_SLURM_TEST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_cosim")));
    let matrix = repo.join("tests/nightly/smoke.toml");
    assert!(
        matrix.is_file(),
        "{} (the nightly smoke matrix) is missing",
        matrix.display()
    );
    let help = Command::new(&cosim)
        .args(["nightly", "--help"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", cosim.display()));
    assert!(
        help.status.success(),
        "{} has no working `nightly` command ({}): {}",
        cosim.display(),
        help.status,
        String::from_utf8_lossy(&help.stderr)
    );

    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("slurm");
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(&scratch).unwrap();
    let (farm, local) = (scratch.join("farm"), scratch.join("local"));

    let start = Instant::now();
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut cluster = Cluster::start(cpus);
    cluster.wait_idle();
    let cluster_start = start.elapsed();

    let start = Instant::now();
    let submit_log = scratch.join("submit.log");
    let farm_status = run_logged(
        cluster
            .slurm_command(&repo.join("scripts/slurm/submit"))
            .arg("--shards")
            .arg(SHARDS.to_string())
            .arg("--out")
            .arg(&farm)
            .arg("--matrix")
            .arg(&matrix)
            .arg("--cosim")
            .arg(&cosim)
            .arg("--wait"),
        &submit_log,
        FARM_TIMEOUT,
    );
    let farm_time = start.elapsed();
    let farm_logs = || {
        let mut text = format!("--- submit (last 30 lines):\n{}\n", tail(&submit_log, 30));
        for job in (1..=SHARDS)
            .map(|k| format!("shard-{k}"))
            .chain(["merge".into()])
        {
            let log = farm.join("slurm").join(format!("{job}.log"));
            text += &format!("--- job {job} (last 30 lines):\n{}\n", tail(&log, 30));
        }
        text + &cluster.logs()
    };
    let farm_status = farm_status.unwrap_or_else(|e| panic!("{e}\n{}", farm_logs()));
    assert!(
        matches!(farm_status.code(), Some(0 | 1)),
        "scripts/slurm/submit --wait failed ({farm_status}); no merged report\n{}",
        farm_logs()
    );
    drop(cluster);

    let start = Instant::now();
    let local_log = scratch.join("local.log");
    let local_status = run_logged(
        Command::new(&cosim)
            .arg("nightly")
            .arg("--matrix")
            .arg(&matrix)
            .arg("--out")
            .arg(&local),
        &local_log,
        FARM_TIMEOUT,
    )
    .unwrap();
    let local_time = start.elapsed();
    assert!(
        matches!(local_status.code(), Some(0 | 1)),
        "the unsharded cosim nightly failed ({local_status}):\n{}",
        tail(&local_log, 30)
    );
    assert_eq!(
        farm_status.code(),
        local_status.code(),
        "submit --wait and the unsharded nightly disagree on whether runs failed; logs in {}",
        scratch.display()
    );

    for file in ["summary.json", "junit.xml"] {
        let merged = fs::read(farm.join("merged").join(file))
            .unwrap_or_else(|e| panic!("merged {file}: {e}\n{}", tail(&submit_log, 30)));
        let unsharded = fs::read(local.join(file)).unwrap_or_else(|e| panic!("local {file}: {e}"));
        assert!(
            merged == unsharded,
            "merged {file} differs from the unsharded run's: diff {} {}",
            farm.join("merged").join(file).display(),
            local.join(file).display()
        );
    }
    eprintln!(
        "slurm test: cluster up in {:.1} s, {SHARDS} shards + merge on Slurm in {:.1} s, unsharded run in {:.1} s",
        cluster_start.as_secs_f64(),
        farm_time.as_secs_f64(),
        local_time.as_secs_f64()
    );
}
