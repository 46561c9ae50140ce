//! Command-line flags, parsed by hand.

use std::time::Duration;

/// Which clock the engine runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockKind {
    System,
    Manual,
}

/// Which face drives the engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Face {
    Swf,
    Sfn,
}

/// Which lock library the naive broker uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NaiveLock {
    ParkingLot,
    Std,
}

/// Every setting of a run.
#[derive(Clone, Debug)]
pub struct Config {
    pub producers: usize,
    pub workers: usize,
    pub lists: usize,
    pub duration: Duration,
    pub tasks: u64,
    pub payload: usize,
    pub heartbeat: f64,
    pub fail: f64,
    pub clock: ClockKind,
    pub face: Face,
    pub queued: usize,
    pub backlog: u64,
    pub rate: f64,
    pub rounds: usize,
    pub impls: Vec<String>,
    pub naive_lock: NaiveLock,
    pub st_secs: Duration,
    pub wake_rounds: usize,
    pub mem_tasks: usize,
    pub idle_lists: usize,
    pub phases: Vec<String>,
    pub json: Option<String>,
    pub csv: Option<String>,
    pub csv_samples: usize,
    pub seed: u64,
    pub quiet: bool,
    pub profile: u64,
    pub profile_lists: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            producers: 2,
            workers: 2,
            lists: 10_000,
            duration: Duration::from_secs(2),
            tasks: 0,
            payload: 64,
            heartbeat: 0.0,
            fail: 0.0,
            clock: ClockKind::System,
            face: Face::Swf,
            queued: 0,
            backlog: 10_000,
            rate: 0.0,
            rounds: 2,
            impls: vec!["engine".into(), "naive".into(), "floor".into()],
            naive_lock: NaiveLock::ParkingLot,
            st_secs: Duration::from_millis(500),
            wake_rounds: 2000,
            mem_tasks: 100_000,
            idle_lists: 10_000,
            phases: vec!["mem".into(), "st".into(), "mt".into(), "wake".into()],
            json: None,
            csv: None,
            csv_samples: 20_000,
            seed: 1,
            quiet: false,
            profile: 0,
            profile_lists: 1,
        }
    }
}

pub const HELP: &str = "\
loadgen: a load generator for activity-broker, with its baselines in the same run

USAGE: cargo run --release --example loadgen -- [FLAGS]

Runs four phases (about 10 s with the defaults) over the engine, a naive
broker (one mutex, one condvar, counter tokens) and a crossbeam channel floor,
then prints one table with the ratios and the issue-5 targets.

  mem   heap and RSS per queued task; memory kept by drained, unpolled lists
  st    single-thread lifecycles (schedule, poll that finds it, complete), 1 list
  mt    producers + workers over the task lists, with latency percentiles
  wake  latency of waking a blocked poller from another thread (vs bare condvars)

WORKLOAD
  --producers N       scheduling threads                        [2]
  --workers N         polling threads                           [2]
  --lists N           task lists the mt phase spreads over      [10000]
  --duration SECS     mt phase length per implementation        [2]
  --tasks N           stop the mt phase after N lifecycles (0: run for --duration) [0]
  --payload BYTES     task input size (>= 17 carries a timestamp) [64]
  --heartbeat RATE    heartbeats per task (0.5: half the tasks send one) [0]
  --fail RATE         fraction of tasks failed instead of completed [0]
  --queued N          tasks queued (spread over the lists) before the mt phase [0]
  --backlog N         producers pause while more than N tasks wait [10000]
  --rate N            schedules per second, all producers together (0: as fast
                      as they can; set it below capacity to measure latency) [0]
  --clock system|manual   the engine's clock                    [system]
  --face swf|sfn      the engine's API face: SWF decisions and activity tasks, or
                      Step Functions executions and activities (at most 10000
                      lists; closed executions are kept 90 days, as in AWS) [swf]

WHAT TO RUN
  --impls LIST        of engine,naive,floor                      [engine,naive,floor]
  --naive-lock parking_lot|std   the naive broker's locks        [parking_lot]
  --phases LIST       of mem,st,mt,wake                          [mem,st,mt,wake]
  --rounds N          mt runs per implementation, interleaved; the st and wake
                      phases always interleave in 5 and 20 blocks [2]
  --st-secs SECS      single-thread phase length per implementation [0.5]
  --wake-rounds N     wake-ups measured per implementation (a tenth for the
                      crossbeam rendezvous)                      [2000]
  --mem-tasks N       tasks queued by the memory phase           [100000]
  --idle-lists N      lists drained by the memory phase          [10000]
  --seed N            seed of the heartbeat / failure draws       [1]

OUTPUT
  --json PATH         write every figure as JSON
  --csv PATH          write latency samples (impl,kind,at_ns,latency_ns)
  --csv-samples N     samples kept per implementation and kind   [20000]
  --quiet             no progress line
  --profile N         run N single-thread lifecycles of the first of --impls (the
                      engine by default, with --face, --clock, --payload, and
                      --queued tasks queued first) and exit: for
                      valgrind --tool=callgrind --toggle-collect='*profile_loop*'
  --profile-lists N   the profile's lifecycles go round robin over N lists, so that
                      each finds its list cold (the scale bench's round robin)  [1]
  -h, --help          this text
";

fn value<'a>(flag: &str, it: &mut impl Iterator<Item = &'a String>) -> Result<&'a str, String> {
    it.next()
        .map(String::as_str)
        .ok_or_else(|| format!("{flag} needs a value"))
}

fn num<T: std::str::FromStr>(flag: &str, v: &str) -> Result<T, String> {
    v.replace('_', "")
        .parse()
        .map_err(|_| format!("{flag}: not a number: {v}"))
}

fn secs(flag: &str, v: &str) -> Result<Duration, String> {
    let s: f64 = num(flag, v)?;
    if !(s.is_finite() && s >= 0.0) {
        return Err(format!("{flag}: must be a non-negative number of seconds"));
    }
    Ok(Duration::from_secs_f64(s))
}

fn list(v: &str, allowed: &[&str], flag: &str) -> Result<Vec<String>, String> {
    let items: Vec<String> = v
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    for i in &items {
        if !allowed.contains(&i.as_str()) {
            return Err(format!(
                "{flag}: unknown item {i:?} (expected some of {})",
                allowed.join(",")
            ));
        }
    }
    Ok(items)
}

/// Parses `args` (without the program name). `Ok(None)` means `--help`.
pub fn parse(args: &[String]) -> Result<Option<Config>, String> {
    let mut c = Config::default();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let f = flag.as_str();
        match f {
            "-h" | "--help" => return Ok(None),
            "--producers" => c.producers = num(f, value(f, &mut it)?)?,
            "--workers" => c.workers = num(f, value(f, &mut it)?)?,
            "--lists" => c.lists = num(f, value(f, &mut it)?)?,
            "--duration" => c.duration = secs(f, value(f, &mut it)?)?,
            "--tasks" => c.tasks = num(f, value(f, &mut it)?)?,
            "--payload" => c.payload = num(f, value(f, &mut it)?)?,
            "--heartbeat" => c.heartbeat = num(f, value(f, &mut it)?)?,
            "--fail" => c.fail = num(f, value(f, &mut it)?)?,
            "--queued" => c.queued = num(f, value(f, &mut it)?)?,
            "--backlog" => c.backlog = num(f, value(f, &mut it)?)?,
            "--rate" => c.rate = num(f, value(f, &mut it)?)?,
            "--rounds" => c.rounds = num(f, value(f, &mut it)?)?,
            "--clock" => {
                c.clock = match value(f, &mut it)? {
                    "system" => ClockKind::System,
                    "manual" => ClockKind::Manual,
                    v => return Err(format!("--clock: expected system or manual, got {v}")),
                }
            }
            "--face" => {
                c.face = match value(f, &mut it)? {
                    "swf" => Face::Swf,
                    "sfn" => Face::Sfn,
                    v => return Err(format!("--face: expected swf or sfn, got {v}")),
                }
            }
            "--impls" => c.impls = list(value(f, &mut it)?, &["engine", "naive", "floor"], f)?,
            "--naive-lock" => {
                c.naive_lock = match value(f, &mut it)? {
                    "parking_lot" | "pl" => NaiveLock::ParkingLot,
                    "std" => NaiveLock::Std,
                    v => {
                        return Err(format!(
                            "--naive-lock: expected parking_lot or std, got {v}"
                        ));
                    }
                }
            }
            "--phases" => c.phases = list(value(f, &mut it)?, &["mem", "st", "mt", "wake"], f)?,
            "--st-secs" => c.st_secs = secs(f, value(f, &mut it)?)?,
            "--wake-rounds" => c.wake_rounds = num(f, value(f, &mut it)?)?,
            "--mem-tasks" => c.mem_tasks = num(f, value(f, &mut it)?)?,
            "--idle-lists" => c.idle_lists = num(f, value(f, &mut it)?)?,
            "--seed" => c.seed = num(f, value(f, &mut it)?)?,
            "--json" => c.json = Some(value(f, &mut it)?.to_owned()),
            "--csv" => c.csv = Some(value(f, &mut it)?.to_owned()),
            "--csv-samples" => c.csv_samples = num(f, value(f, &mut it)?)?,
            "--quiet" => c.quiet = true,
            "--profile" => c.profile = num(f, value(f, &mut it)?)?,
            "--profile-lists" => c.profile_lists = num(f, value(f, &mut it)?)?,
            _ => return Err(format!("unknown flag {f} (try --help)")),
        }
    }
    if c.producers == 0 || c.workers == 0 {
        return Err("--producers and --workers must be at least 1".into());
    }
    if c.rounds == 0 {
        return Err("--rounds must be at least 1".into());
    }
    if !(c.rate.is_finite() && c.rate >= 0.0) {
        return Err("--rate must be a non-negative number".into());
    }
    if c.lists == 0 || c.profile_lists == 0 {
        return Err("--lists and --profile-lists must be at least 1".into());
    }
    if !(0.0..=1.0).contains(&c.fail) {
        return Err("--fail must be within 0..=1".into());
    }
    if !(c.heartbeat.is_finite() && c.heartbeat >= 0.0) {
        return Err("--heartbeat must be a non-negative rate".into());
    }
    if c.tasks > 0 && !args.iter().any(|a| a == "--duration") {
        // A task count bounds the run; the duration is only a safety cap.
        c.duration = Duration::from_secs(600);
    }
    Ok(Some(c))
}
