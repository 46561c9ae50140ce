//! The results: one row per implementation, printed as a table with the
//! ratios and the issue-5 targets, or written as JSON and CSV.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::args::{ClockKind, Config, Face};
use crate::run::{MemResult, MtResult, StResult, si};
use crate::support::Workload;
use crate::support::stats::{Histogram, Percentiles};

/// One implementation's figures.
#[derive(Debug, Default)]
pub struct Row {
    pub name: String,
    pub st: Option<StResult>,
    pub mt: Option<MtResult>,
    pub wake: Option<Histogram>,
    pub wake_raw: Vec<u64>,
    pub mem: Option<MemResult>,
}

/// Everything one run measured.
pub struct Report {
    cfg: Config,
    rows: BTreeMap<String, Row>,
    cpu: String,
    cores: usize,
    load_start: String,
    load_end: String,
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|r| r.trim_start_matches([' ', '\t', ':']).to_owned())
            })
        })
        .unwrap_or_else(|| "?".into())
}

const ORDER: [&str; 6] = [
    "engine",
    "naive",
    "floor",
    "rendezvous",
    "condvar/parking_lot",
    "condvar/std",
];

fn us(ns: u64) -> String {
    let v = ns as f64 / 1000.0;
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

fn mib(b: u64) -> String {
    format!("{:.0}", b as f64 / (1024.0 * 1024.0))
}

fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 && a.is_finite() {
        format!("{:.2}x", a / b)
    } else {
        "-".into()
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok { "MET" } else { "NOT MET" }
}

fn json_str(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(o, "\\u{:04x}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn json_num(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        "null".into()
    }
}

fn json_pct(h: &Histogram) -> String {
    let p = Percentiles::from(h);
    format!(
        "{{\"count\":{},\"mean_ns\":{},\"p50_ns\":{},\"p90_ns\":{},\"p99_ns\":{},\"p999_ns\":{},\"max_ns\":{}}}",
        p.count,
        json_num(h.mean()),
        p.p50,
        p.p90,
        p.p99,
        p.p999,
        p.max
    )
}

impl Report {
    pub fn new(cfg: &Config) -> Report {
        Report {
            cfg: cfg.clone(),
            rows: BTreeMap::new(),
            cpu: cpu_model(),
            cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
            load_start: loadavg(),
            load_end: String::new(),
        }
    }

    /// The row of `key`, named after `w` (the memory phase's instances
    /// do not name rows: the engine's runs on a manual clock there).
    pub fn row<W: Workload>(&mut self, key: &str, w: &W) -> &mut Row {
        let r = self.rows.entry(key.to_owned()).or_default();
        r.name = w.name();
        r
    }

    /// The row of `key`, unnamed until another phase names it.
    pub fn row_of(&mut self, key: &str) -> &mut Row {
        let r = self.rows.entry(key.to_owned()).or_default();
        if r.name.is_empty() {
            r.name = key.to_owned();
        }
        r
    }

    pub fn finish(&mut self) {
        self.load_end = loadavg();
    }

    fn get(&self, k: &str) -> Option<&Row> {
        self.rows.get(k)
    }

    fn keys(&self) -> Vec<&str> {
        ORDER
            .iter()
            .copied()
            .filter(|k| self.rows.contains_key(*k))
            .collect()
    }

    pub fn table(&self) -> String {
        let c = &self.cfg;
        let mut o = String::new();
        let _ = writeln!(
            o,
            "\nactivity-broker loadgen: {} producers, {} workers, {} lists, {}-byte payload, heartbeat {}/task, fail {}, clock {}, face {}, backlog {}, rate {}{}",
            c.producers,
            c.workers,
            c.lists,
            c.payload,
            c.heartbeat,
            c.fail,
            if c.clock == ClockKind::Manual {
                "manual"
            } else {
                "system"
            },
            if c.face == Face::Sfn { "sfn" } else { "swf" },
            c.backlog,
            if c.rate > 0.0 {
                format!("{}/s", si(c.rate))
            } else {
                "unlimited".into()
            },
            if c.queued > 0 {
                format!(", {} queued before the run", c.queued)
            } else {
                String::new()
            },
        );
        let _ = writeln!(
            o,
            "machine: {} cores, {}; load average {} at start, {} at end\n",
            self.cores, self.cpu, self.load_start, self.load_end
        );
        let main: Vec<&str> = ["engine", "naive", "floor"]
            .into_iter()
            .filter(|k| self.rows.contains_key(*k))
            .collect();
        let w0 = 44;
        let wc = 20;
        let _ = write!(o, "{:<w0$}", "");
        for k in &main {
            let _ = write!(o, "{:>wc$}", self.rows[*k].name);
        }
        let _ = writeln!(o, "{:>14}{:>14}", "engine÷naive", "engine÷floor");
        let line =
            |o: &mut String, label: &str, vals: Vec<Option<String>>, r1: String, r2: String| {
                let _ = write!(o, "{label:<w0$}");
                for v in vals {
                    let _ = write!(o, "{:>wc$}", v.unwrap_or_else(|| "-".into()));
                }
                let _ = writeln!(o, "{r1:>14}{r2:>14}");
            };
        let val = |k: &str, f: &dyn Fn(&Row) -> Option<f64>| self.get(k).and_then(f);
        let rat = |f: &dyn Fn(&Row) -> Option<f64>, other: &str| match (
            val("engine", f),
            val(other, f),
        ) {
            (Some(a), Some(b)) => ratio(a, b),
            _ => "-".into(),
        };
        let st_rate = |r: &Row| r.st.as_ref().map(|s| s.rate);
        line(
            &mut o,
            "single-thread lifecycles/s (1 list)",
            main.iter().map(|k| val(k, &st_rate).map(si)).collect(),
            rat(&st_rate, "naive"),
            rat(&st_rate, "floor"),
        );
        let mt_rate = |r: &Row| r.mt.as_ref().map(|m| m.rate);
        line(
            &mut o,
            &format!(
                "{}P+{}W lifecycles/s ({} lists)",
                c.producers, c.workers, c.lists
            ),
            main.iter().map(|k| val(k, &mt_rate).map(si)).collect(),
            rat(&mt_rate, "naive"),
            rat(&mt_rate, "floor"),
        );
        for (label, pick) in [("poll-to-start", 0usize), ("schedule-to-start", 1usize)] {
            for (q, name) in [
                (0.5, "p50"),
                (0.9, "p90"),
                (0.99, "p99"),
                (0.999, "p99.9"),
                (1.0, "max"),
            ] {
                let f = move |r: &Row| {
                    r.mt.as_ref().and_then(|m| {
                        let h = if pick == 0 {
                            &m.poll_to_start
                        } else {
                            &m.schedule_to_start
                        };
                        (h.count() > 0)
                            .then(|| if q >= 1.0 { h.max() } else { h.quantile(q) } as f64)
                    })
                };
                line(
                    &mut o,
                    &format!("  {label} {name} (µs)"),
                    main.iter()
                        .map(|k| val(k, &f).map(|v| us(v as u64)))
                        .collect(),
                    rat(&f, "naive"),
                    rat(&f, "floor"),
                );
            }
        }
        let wk = |r: &Row| {
            r.mt.as_ref()
                .map(|m| m.worker_sleeps as f64 / m.schedules_total.max(1) as f64)
        };
        line(
            &mut o,
            "worker wake-ups per schedule",
            main.iter()
                .map(|k| val(k, &wk).map(|v| format!("{v:.3}")))
                .collect(),
            rat(&wk, "naive"),
            rat(&wk, "floor"),
        );
        let pk = |r: &Row| {
            r.mt.as_ref()
                .map(|m| m.producer_sleeps as f64 / m.schedules_total.max(1) as f64)
        };
        line(
            &mut o,
            "producer sleeps per schedule",
            main.iter()
                .map(|k| val(k, &pk).map(|v| format!("{v:.3}")))
                .collect(),
            rat(&pk, "naive"),
            rat(&pk, "floor"),
        );
        let peak = |r: &Row| r.mt.as_ref().map(|m| m.peak_rss as f64);
        line(
            &mut o,
            "peak RSS during the run (MiB)",
            main.iter()
                .map(|k| val(k, &peak).map(|v| mib(v as u64)))
                .collect(),
            rat(&peak, "naive"),
            rat(&peak, "floor"),
        );
        let errs = |r: &Row| r.mt.as_ref().map(|m| m.errors as f64);
        line(
            &mut o,
            "errors",
            main.iter()
                .map(|k| val(k, &errs).map(|v| format!("{v:.0}")))
                .collect(),
            String::new(),
            String::new(),
        );
        if let Some(m) = self.get("engine").and_then(|r| r.mem.as_ref()) {
            let _ = writeln!(
                o,
                "\nmemory ({} tasks queued on one list, {}-byte inputs; heap = exact bytes requested)",
                si(m.tasks as f64),
                m.payload
            );
        }
        let h = |r: &Row| r.mem.as_ref().map(|m| m.heap_per_task);
        line(
            &mut o,
            "heap per queued task (B)",
            main.iter()
                .map(|k| val(k, &h).map(|v| format!("{v:.0}")))
                .collect(),
            rat(&h, "naive"),
            rat(&h, "floor"),
        );
        let b = |r: &Row| r.mem.as_ref().map(|m| m.beyond_payload);
        line(
            &mut o,
            "  beyond the payload (B)",
            main.iter()
                .map(|k| val(k, &b).map(|v| format!("{v:.0}")))
                .collect(),
            rat(&b, "naive"),
            rat(&b, "floor"),
        );
        let rs = |r: &Row| r.mem.as_ref().map(|m| m.rss_per_task);
        line(
            &mut o,
            "RSS growth per queued task (B)",
            main.iter()
                .map(|k| val(k, &rs).map(|v| format!("{v:.0}")))
                .collect(),
            rat(&rs, "naive"),
            rat(&rs, "floor"),
        );
        let ad = |r: &Row| r.mem.as_ref().map(|m| m.after_drain_per_task);
        line(
            &mut o,
            "heap kept per task after drain (B)",
            main.iter()
                .map(|k| val(k, &ad).map(|v| format!("{v:.0}")))
                .collect(),
            String::new(),
            String::new(),
        );
        let af = |r: &Row| r.mem.as_ref().map(|m| m.after_free as f64);
        line(
            &mut o,
            "  after freeing executions (B, total)",
            main.iter()
                .map(|k| val(k, &af).map(|v| format!("{v:.0}")))
                .collect(),
            String::new(),
            String::new(),
        );
        let i1 = |r: &Row| r.mem.as_ref().map(|m| m.idle_first_per_list);
        let idle_n = self
            .get("engine")
            .and_then(|r| r.mem.as_ref())
            .map_or(self.cfg.idle_lists, |m| m.idle_lists);
        line(
            &mut o,
            &format!(
                "heap kept per drained list, {} lists (B)",
                si(idle_n as f64)
            ),
            main.iter()
                .map(|k| val(k, &i1).map(|v| format!("{v:.1}")))
                .collect(),
            String::new(),
            String::new(),
        );
        let i2 = |r: &Row| r.mem.as_ref().map(|m| m.idle_second_per_list);
        line(
            &mut o,
            "  on as many more lists (B)",
            main.iter()
                .map(|k| val(k, &i2).map(|v| format!("{v:.1}")))
                .collect(),
            String::new(),
            String::new(),
        );

        // Wake-ups.
        let wkeys: Vec<&str> = self
            .keys()
            .into_iter()
            .filter(|k| self.rows[*k].wake.is_some())
            .collect();
        if !wkeys.is_empty() {
            let _ = writeln!(
                o,
                "\nwake-up of a blocked poller by a schedule from another thread (µs; {} rounds each, the rendezvous a tenth)",
                self.cfg.wake_rounds
            );
            let _ = writeln!(
                o,
                "{:<34}{:>9}{:>9}{:>9}{:>9}{:>9}{:>9}{:>16}",
                "", "mean", "p50", "p90", "p99", "p99.9", "max", "p50/p99 ÷ pl"
            );
            let base = self
                .get("condvar/parking_lot")
                .and_then(|r| r.wake.as_ref())
                .map(Percentiles::from);
            for k in wkeys {
                let r = &self.rows[k];
                if let Some(h) = &r.wake {
                    let p = Percentiles::from(h);
                    let rel = base.map_or("-".into(), |b| {
                        format!(
                            "{:.2}/{:.2}",
                            p.p50 as f64 / b.p50.max(1) as f64,
                            p.p99 as f64 / b.p99.max(1) as f64
                        )
                    });
                    let _ = writeln!(
                        o,
                        "{:<34}{:>9}{:>9}{:>9}{:>9}{:>9}{:>9}{:>16}",
                        r.name,
                        us(h.mean() as u64),
                        us(p.p50),
                        us(p.p90),
                        us(p.p99),
                        us(p.p999),
                        us(p.max),
                        rel
                    );
                }
            }
        }

        let _ = writeln!(
            o,
            "\nfloor: a crossbeam channel per list, bounded(1024) single-thread, unbounded in the mt and memory phases.\n\
             memory: the engine on a manual clock (terminated executions are freed synchronously); heap counted by a global allocator.\n\
             mt figures: {} interleaved run(s) per implementation, a tenth of each as warm-up; wake-ups: {} interleaved blocks.",
            self.cfg.rounds, 20
        );
        let _ = writeln!(o, "\ntargets (issue 5), each a ratio measured in this run:");
        for t in self.targets() {
            let _ = writeln!(o, "  {t}");
        }
        o
    }

    fn targets(&self) -> Vec<String> {
        let mut t = Vec::new();
        let st = |k: &str| self.get(k).and_then(|r| r.st.as_ref()).map(|s| s.rate);
        let mt = |k: &str| self.get(k).and_then(|r| r.mt.as_ref()).map(|s| s.rate);
        if let (Some(e), Some(n)) = (st("engine"), st("naive")) {
            t.push(format!(
                "single-thread lifecycle >= 1.5x naive: {:.2}x  {}",
                e / n,
                verdict(e / n >= 1.5)
            ));
        }
        if let (Some(e), Some(f)) = (st("engine"), st("floor")) {
            t.push(format!(
                "single-thread lifecycle within 5x of channel send+recv ({}/s): {:.1}x slower  {}",
                si(f),
                f / e,
                verdict(f / e <= 5.0)
            ));
        }
        let wake = |k: &str| {
            self.get(k)
                .and_then(|r| r.wake.as_ref())
                .map(Percentiles::from)
        };
        if let (Some(e), Some(b)) = (wake("engine"), wake("condvar/parking_lot")) {
            let (r50, r99) = (
                e.p50 as f64 / b.p50.max(1) as f64,
                e.p99 as f64 / b.p99.max(1) as f64,
            );
            t.push(format!(
                "wake-up within 1.25x of a bare parking_lot condvar: p50 {r50:.2}x, p99 {r99:.2}x  {}",
                verdict(r50 <= 1.25 && r99 <= 1.25)
            ));
        }
        let c = &self.cfg;
        if let (Some(e), Some(n)) = (mt("engine"), mt("naive")) {
            t.push(format!(
                "{}P+{}W over {} lists >= 3x naive: {:.2}x  {}",
                c.producers,
                c.workers,
                c.lists,
                e / n,
                verdict(e / n >= 3.0)
            ));
        }
        if let (Some(m), Some(s)) = (mt("engine"), st("engine")) {
            t.push(format!(
                "{}P+{}W never below the engine's single-thread figure: {:.2}x  {}",
                c.producers,
                c.workers,
                m / s,
                verdict(m >= s)
            ));
        }
        if let Some(m) = self.get("engine").and_then(|r| r.mem.as_ref()) {
            t.push(format!(
                "<= 160 B of engine memory per queued task beyond its payload: {:.0} B  {}",
                m.beyond_payload,
                verdict(m.beyond_payload <= 160.0)
            ));
            t.push(format!(
                "a drained, unpolled list costs no memory: {:.1} B per list on first use (capacity), {:.1} B on fresh lists after  {}",
                m.idle_first_per_list,
                m.idle_second_per_list,
                verdict(m.idle_second_per_list.abs() < 1.0)
            ));
        }
        t.push("scale (1,000,000 lists / 1,000,000 queued within 1.5x of one list): see `cargo bench --bench scale`".into());
        t
    }

    pub fn json(&self) -> String {
        let c = &self.cfg;
        let mut o = String::from("{\n");
        let _ = writeln!(
            o,
            "  \"config\": {{\"producers\":{},\"workers\":{},\"lists\":{},\"duration_s\":{},\"tasks\":{},\"payload\":{},\"heartbeat\":{},\"fail\":{},\"clock\":{},\"face\":{},\"queued\":{},\"backlog\":{},\"mem_tasks\":{},\"idle_lists\":{},\"wake_rounds\":{},\"seed\":{}}},",
            c.producers,
            c.workers,
            c.lists,
            json_num(c.duration.as_secs_f64()),
            c.tasks,
            c.payload,
            json_num(c.heartbeat),
            json_num(c.fail),
            json_str(if c.clock == ClockKind::Manual {
                "manual"
            } else {
                "system"
            }),
            json_str(if c.face == Face::Sfn { "sfn" } else { "swf" }),
            c.queued,
            c.backlog,
            c.mem_tasks,
            c.idle_lists,
            c.wake_rounds,
            c.seed
        );
        let _ = writeln!(
            o,
            "  \"machine\": {{\"cores\":{},\"cpu\":{},\"load_start\":{},\"load_end\":{}}},",
            self.cores,
            json_str(&self.cpu),
            json_str(&self.load_start),
            json_str(&self.load_end)
        );
        o.push_str("  \"results\": {\n");
        let keys = self.keys();
        for (i, k) in keys.iter().enumerate() {
            let r = &self.rows[*k];
            let mut parts = vec![format!("\"name\":{}", json_str(&r.name))];
            if let Some(s) = &r.st {
                parts.push(format!(
                    "\"single_thread\":{{\"lifecycles\":{},\"secs\":{},\"per_sec\":{}}}",
                    s.lifecycles,
                    json_num(s.secs),
                    json_num(s.rate)
                ));
            }
            if let Some(m) = &r.mt {
                parts.push(format!(
                    "\"multi_thread\":{{\"lifecycles\":{},\"secs\":{},\"per_sec\":{},\"schedules\":{},\"poll_to_start\":{},\"schedule_to_start\":{},\"worker_wakeups_per_schedule\":{},\"producer_sleeps_per_schedule\":{},\"empty_polls\":{},\"heartbeats\":{},\"failed\":{},\"errors\":{},\"first_error\":{},\"peak_rss\":{},\"start_rss\":{}}}",
                    m.lifecycles,
                    json_num(m.secs),
                    json_num(m.rate),
                    m.schedules_total,
                    json_pct(&m.poll_to_start),
                    json_pct(&m.schedule_to_start),
                    json_num(m.worker_sleeps as f64 / m.schedules_total.max(1) as f64),
                    json_num(m.producer_sleeps as f64 / m.schedules_total.max(1) as f64),
                    m.empty_polls,
                    m.heartbeats,
                    m.failed,
                    m.errors,
                    m.first_error.as_deref().map_or("null".into(), json_str),
                    m.peak_rss,
                    m.start_rss
                ));
            }
            if let Some(h) = &r.wake {
                parts.push(format!("\"wakeup\":{}", json_pct(h)));
            }
            if let Some(m) = &r.mem {
                parts.push(format!(
                    "\"memory\":{{\"tasks\":{},\"payload\":{},\"heap_per_task\":{},\"heap_beyond_payload\":{},\"rss_per_task\":{},\"heap_per_task_after_drain\":{},\"heap_after_free\":{},\"idle_lists\":{},\"idle_first_per_list\":{},\"idle_second_per_list\":{}}}",
                    m.tasks,
                    m.payload,
                    json_num(m.heap_per_task),
                    json_num(m.beyond_payload),
                    json_num(m.rss_per_task),
                    json_num(m.after_drain_per_task),
                    m.after_free,
                    m.idle_lists,
                    json_num(m.idle_first_per_list),
                    json_num(m.idle_second_per_list)
                ));
            }
            let _ = writeln!(
                o,
                "    {}: {{{}}}{}",
                json_str(k),
                parts.join(","),
                if i + 1 < keys.len() { "," } else { "" }
            );
        }
        o.push_str("  },\n  \"targets\": [\n");
        let t = self.targets();
        for (i, s) in t.iter().enumerate() {
            let _ = writeln!(
                o,
                "    {}{}",
                json_str(s),
                if i + 1 < t.len() { "," } else { "" }
            );
        }
        o.push_str("  ]\n}\n");
        o
    }

    pub fn csv(&self) -> String {
        let mut o = String::from("impl,kind,at_ns,latency_ns\n");
        for k in self.keys() {
            let r = &self.rows[k];
            if let Some(m) = &r.mt {
                let mut p = m.p2s_samples.clone();
                p.sort_unstable();
                for (at, v) in p {
                    let _ = writeln!(o, "{},poll_to_start,{at},{v}", r.name);
                }
                let mut s = m.s2s_samples.clone();
                s.sort_unstable();
                for (at, v) in s {
                    let _ = writeln!(o, "{},schedule_to_start,{at},{v}", r.name);
                }
            }
            for (i, v) in r.wake_raw.iter().enumerate() {
                let _ = writeln!(o, "{},wakeup,{i},{v}", r.name);
            }
        }
        o
    }
}
