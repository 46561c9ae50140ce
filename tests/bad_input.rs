//! The bad-input catalogue: every constraint of `../shared/AWS-API.md` A2
//! (SWF) and A4 (Step Functions) for the operations this crate implements,
//! fed its boundary values: just inside, just outside, empty, huge,
//! multi-byte characters at the limit, control characters, the `arn` rule
//! under both settings, text that only looks like an escape, malformed ARNs,
//! and tokens that are garbage, well-formed but unknown, forged, closed, of
//! the other face, or of the other face with the face tag rewritten.
//!
//! One table, one row per boundary. Each row runs on a fresh fixture (one
//! SWF execution with a started, a closed and a queued task; three Step
//! Functions executions likewise) and checks the exact answer: success, an
//! AWS fault code, or a `ValidationException` with exactly one violation
//! (member path and constraint; the value left out for sensitive members).
//! For every refusal it also checks that nothing changed: registries,
//! pending counts, every history and execution status are the same before
//! and after.

use std::rc::Rc;
use std::time::Duration;

use activity_broker::swf::{self, *};
use activity_broker::{Broker, BrokerBuilder, Constraint, ManualClock, sfn};

// ----- the fixture -----------------------------------------------------------

/// A broker in a known state.
struct Fx {
    swf: swf::Client,
    sfn: sfn::Client,
    /// The SWF execution `wf` of domain `d`.
    exec: WorkflowExecution,
    /// Started task `x`; task `y` completed; task `z` queued on list `l`.
    swf_token: String,
    swf_closed: String,
    /// Activity `act`: execution `e1` started, `e2` succeeded, `e3` queued.
    arn: String,
    sfn_token: String,
    sfn_closed: String,
    sfn_execs: Vec<String>,
    _clock: ManualClock,
}

const D: &str = "d";
const LIST: &str = "l";

impl Fx {
    fn new(tune: fn(BrokerBuilder) -> BrokerBuilder) -> Fx {
        let clock = ManualClock::new();
        let broker = tune(Broker::builder().clock(clock.clone()).seed(5).shards(4))
            .build()
            .expect("broker");
        let swf = broker.swf();
        swf.register_domain(RegisterDomainInput {
            name: D.into(),
            workflow_execution_retention_period_in_days: "1".into(),
            ..Default::default()
        })
        .expect("domain");
        swf.register_activity_type(RegisterActivityTypeInput {
            domain: D.into(),
            name: "a".into(),
            version: "1".into(),
            default_task_list: Some(TaskList::new(LIST)),
            default_task_schedule_to_start_timeout: Some("NONE".into()),
            default_task_schedule_to_close_timeout: Some("NONE".into()),
            default_task_start_to_close_timeout: Some("NONE".into()),
            default_task_heartbeat_timeout: Some("NONE".into()),
            ..Default::default()
        })
        .expect("activity type");
        swf.register_workflow_type(RegisterWorkflowTypeInput {
            domain: D.into(),
            name: "w".into(),
            version: "1".into(),
            default_task_list: Some(TaskList::new("deciders")),
            default_execution_start_to_close_timeout: Some("3600".into()),
            default_task_start_to_close_timeout: Some("60".into()),
            default_child_policy: Some(ChildPolicy::Terminate),
            ..Default::default()
        })
        .expect("workflow type");
        let run = swf
            .start_workflow_execution(StartWorkflowExecutionInput {
                domain: D.into(),
                workflow_id: "wf".into(),
                workflow_type: WorkflowType::new("w", "1"),
                ..Default::default()
            })
            .expect("start");
        let exec = WorkflowExecution::new("wf", run.run_id);
        swf.respond_decision_task_completed(RespondDecisionTaskCompletedInput {
            domain: D.into(),
            execution: exec.clone(),
            decisions: ["x", "y", "z"].map(schedule).to_vec(),
            ..Default::default()
        })
        .expect("schedule");
        let poll = || {
            swf.poll_for_activity_task_timeout(
                PollForActivityTaskInput {
                    domain: D.into(),
                    task_list: TaskList::new(LIST),
                    identity: None,
                },
                Duration::ZERO,
            )
            .expect("poll")
            .task_token
        };
        let swf_token = poll();
        let swf_closed = poll();
        swf.respond_activity_task_completed(RespondActivityTaskCompletedInput {
            task_token: swf_closed.clone(),
            result: None,
        })
        .expect("complete");

        let sfn = broker.sfn();
        let arn = sfn
            .create_activity(sfn::CreateActivityInput {
                name: "act".into(),
                ..Default::default()
            })
            .expect("activity")
            .activity_arn;
        let mut sfn_execs = Vec::new();
        let mut tokens = Vec::new();
        for name in ["e1", "e2", "e3"] {
            sfn_execs.push(
                sfn.start_execution(sfn::StartExecutionInput {
                    state_machine_arn: sfn.state_machine_arn("m"),
                    name: Some(name.into()),
                    activity_arn: arn.clone(),
                    ..Default::default()
                })
                .expect("start execution")
                .execution_arn,
            );
            if name != "e3" {
                tokens.push(
                    sfn.get_activity_task_timeout(
                        sfn::GetActivityTaskInput {
                            activity_arn: arn.clone(),
                            worker_name: None,
                        },
                        Duration::ZERO,
                    )
                    .expect("get task")
                    .task_token
                    .expect("queued"),
                );
            }
        }
        sfn.send_task_success(sfn::SendTaskSuccessInput {
            task_token: tokens[1].clone(),
            output: "{}".into(),
        })
        .expect("success");
        Fx {
            swf,
            sfn,
            exec,
            swf_token: tokens_swap(swf_token),
            swf_closed,
            arn,
            sfn_token: tokens[0].clone(),
            sfn_closed: tokens[1].clone(),
            sfn_execs,
            _clock: clock,
        }
    }

    /// Everything a refused call must leave as it was.
    fn snapshot(&self) -> String {
        let mut out = String::new();
        for status in [
            RegistrationStatus::Registered,
            RegistrationStatus::Deprecated,
        ] {
            let domains = self
                .swf
                .list_domains(ListDomainsInput {
                    registration_status: status,
                    ..Default::default()
                })
                .expect("list domains");
            out += &format!("{status:?} domains {:?}\n", domains.domain_infos);
            for d in &domains.domain_infos {
                for s in [
                    RegistrationStatus::Registered,
                    RegistrationStatus::Deprecated,
                ] {
                    let types = self
                        .swf
                        .list_activity_types(ListActivityTypesInput {
                            domain: d.name.clone(),
                            registration_status: s,
                            ..Default::default()
                        })
                        .expect("list types");
                    out += &format!("{s:?} types {:?}\n", types.type_infos);
                }
            }
        }
        for list in [LIST, "deciders", "n"] {
            out += &format!(
                "pending {list} {:?}\n",
                self.swf
                    .count_pending_activity_tasks(CountPendingActivityTasksInput {
                        domain: D.into(),
                        task_list: TaskList::new(list),
                    })
                    .map(|c| c.count)
            );
        }
        out += &format!("{:?}\n", self.history());
        out += &format!(
            "{:?}\n",
            self.swf
                .describe_workflow_execution(DescribeWorkflowExecutionInput {
                    domain: D.into(),
                    execution: self.exec.clone(),
                })
                .map(|d| d.open_counts)
        );
        out += &format!(
            "activities {:?}\npending {}\n",
            self.sfn
                .list_activities(sfn::ListActivitiesInput::default())
                .map(|l| l.activities),
            self.sfn.pending_tasks(&self.arn)
        );
        for e in &self.sfn_execs {
            out += &format!(
                "{:?}\n{:?}\n",
                self.sfn
                    .get_execution_history(sfn::GetExecutionHistoryInput {
                        execution_arn: e.clone(),
                        ..Default::default()
                    })
                    .map(|h| h.events),
                self.sfn
                    .describe_execution(sfn::DescribeExecutionInput {
                        execution_arn: e.clone(),
                    })
                    .map(|d| d.status)
            );
        }
        out
    }

    fn history(&self) -> Vec<HistoryEvent> {
        self.swf
            .get_workflow_execution_history(GetWorkflowExecutionHistoryInput {
                domain: D.into(),
                execution: self.exec.clone(),
                ..Default::default()
            })
            .expect("history")
            .events
    }
}

/// The started token (kept as is; named so that the fixture reads in order).
fn tokens_swap(t: String) -> String {
    t
}

fn schedule(id: &str) -> Decision {
    Decision::ScheduleActivityTask(ScheduleActivityTaskDecisionAttributes {
        activity_type: ActivityType::new("a", "1"),
        activity_id: id.into(),
        ..Default::default()
    })
}

// ----- tokens ----------------------------------------------------------------

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn decode(t: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for quad in t.as_bytes().chunks(4) {
        let mut n = 0u32;
        for &c in quad {
            n = n << 6 | B64.iter().position(|&b| b == c).expect("base64url") as u32;
        }
        out.extend_from_slice(&n.to_be_bytes()[1..4]);
    }
    out
}

fn encode(raw: &[u8]) -> String {
    let mut out = String::new();
    for c in raw.chunks(3) {
        let n = u32::from(c[0]) << 16 | u32::from(c[1]) << 8 | u32::from(c[2]);
        for shift in [18, 12, 6, 0] {
            out.push(char::from(B64[(n >> shift) as usize & 63]));
        }
    }
    out
}

/// `token` with byte `i` replaced by `f(byte)`: the layout of DESIGN.md
/// "Task tokens" (tag, shard u16, slot u32, generation u32, nonce).
fn tamper(token: &str, i: usize, f: impl Fn(u8) -> u8) -> String {
    let mut raw = decode(token);
    raw[i] = f(raw[i]);
    encode(&raw)
}

// ----- rows ------------------------------------------------------------------

/// What a call answered.
#[derive(Debug, PartialEq)]
enum Got {
    Ok,
    Fault(&'static str),
    Invalid {
        violations: Vec<(String, Constraint)>,
        hidden: bool,
        message: String,
    },
}

fn swf_got<T>(r: Result<T, swf::Error>) -> Got {
    match r {
        Ok(_) => Got::Ok,
        Err(swf::Error::Validation(v)) => Got::Invalid {
            violations: v
                .violations()
                .iter()
                .map(|x| (x.member().to_owned(), x.constraint().clone()))
                .collect(),
            hidden: v.violations().iter().all(|x| x.value().is_none()),
            message: v.to_string(),
        },
        Err(e) => Got::Fault(e.code()),
    }
}

fn sfn_got<T>(r: Result<T, sfn::Error>) -> Got {
    match r {
        Ok(_) => Got::Ok,
        Err(sfn::Error::Validation(v)) => Got::Invalid {
            violations: v
                .violations()
                .iter()
                .map(|x| (x.member().to_owned(), x.constraint().clone()))
                .collect(),
            hidden: v.violations().iter().all(|x| x.value().is_none()),
            message: v.to_string(),
        },
        Err(e) => Got::Fault(e.code()),
    }
}

/// What a row expects.
#[derive(Clone, Debug, PartialEq)]
enum Want {
    Ok,
    Fault(&'static str),
    /// One violation of `member`.
    Invalid(String, Constraint),
}

fn invalid(member: &str, c: Constraint) -> Want {
    Want::Invalid(member.to_owned(), c)
}

type Call = Rc<dyn Fn(&Fx, String) -> Got>;

struct Row {
    label: String,
    /// The AWS-API.md section that states the constraint.
    cite: &'static str,
    /// Relaxed `arn` rule.
    relaxed: bool,
    value: String,
    call: Call,
    want: Want,
}

#[derive(Default)]
struct Table {
    rows: Vec<Row>,
}

impl Table {
    fn row(&mut self, cite: &'static str, label: String, call: &Call, value: String, want: Want) {
        self.rows.push(Row {
            label,
            cite,
            relaxed: false,
            value,
            call: Rc::clone(call),
            want,
        });
    }

    fn relaxed(
        &mut self,
        cite: &'static str,
        label: String,
        call: &Call,
        value: String,
        want: Want,
    ) {
        self.rows.push(Row {
            label,
            cite,
            relaxed: true,
            value,
            call: Rc::clone(call),
            want,
        });
    }

    /// A length-limited string: `min..=max` characters.
    #[expect(
        clippy::too_many_arguments,
        reason = "where a row sits: cite, operation, member, bounds"
    )]
    fn length(
        &mut self,
        cite: &'static str,
        op: &str,
        member: &str,
        min: usize,
        max: usize,
        call: Call,
        ok: Want,
    ) {
        let l = |what: &str| format!("{op} {member}: {what}");
        self.row(cite, l("max chars"), &call, "n".repeat(max), ok.clone());
        self.row(
            cite,
            l("max two-byte chars"),
            &call,
            "é".repeat(max),
            ok.clone(),
        );
        self.row(
            cite,
            l("max + 1"),
            &call,
            "n".repeat(max + 1),
            invalid(member, Constraint::MaxLength(max)),
        );
        self.row(
            cite,
            l("max + 1 four-byte chars"),
            &call,
            "😀".repeat(max + 1),
            invalid(member, Constraint::MaxLength(max)),
        );
        self.row(
            cite,
            l("huge"),
            &call,
            "n".repeat(100_000),
            invalid(member, Constraint::MaxLength(max)),
        );
        if min == 0 {
            self.row(cite, l("empty"), &call, String::new(), ok.clone());
        } else {
            self.row(
                cite,
                l("empty"),
                &call,
                String::new(),
                invalid(member, Constraint::MinLength(min)),
            );
            self.row(cite, l("min"), &call, "n".repeat(min), ok.clone());
        }
    }

    /// A length-limited string with no character rule: text that looks
    /// like an escape is only characters, nothing is decoded.
    #[expect(
        clippy::too_many_arguments,
        reason = "where a row sits: cite, operation, member, bounds"
    )]
    fn text(
        &mut self,
        cite: &'static str,
        op: &str,
        member: &str,
        min: usize,
        max: usize,
        call: Call,
        ok: Want,
    ) {
        self.length(cite, op, member, min, max, Rc::clone(&call), ok.clone());
        for s in [
            "\\x00", "%00", "\\u0000", "&#0;", "\u{fffd}", "\u{0}", "\u{9f}",
        ] {
            self.row(
                cite,
                format!("{op} {member}: escape-looking {s:?}"),
                &call,
                s.into(),
                ok.clone(),
            );
        }
    }

    /// An SWF name (A2): a length, then no `: / |` or control characters,
    /// the `arn` rule, and for domains and task lists no edge whitespace.
    #[expect(
        clippy::too_many_arguments,
        reason = "where a row sits: cite, operation, member, bounds"
    )]
    fn swf_name(
        &mut self,
        cite: &'static str,
        op: &str,
        member: &str,
        max: usize,
        edged: bool,
        call: Call,
        ok: Want,
    ) {
        self.length(cite, op, member, 1, max, Rc::clone(&call), ok.clone());
        let l = |what: &str| format!("{op} {member}: {what}");
        let bad = |c| invalid(member, c);
        for s in ["\\x00", "%00", "\\u0000", "&#0;", "\u{fffd}"] {
            self.row(
                cite,
                l(&format!("escape-looking {s:?}")),
                &call,
                s.into(),
                ok.clone(),
            );
        }
        for c in [
            ':', '/', '|', '\u{0}', '\u{1f}', '\u{7f}', '\u{80}', '\u{85}', '\u{9f}',
        ] {
            self.row(
                cite,
                l(&format!("contains {c:?}")),
                &call,
                format!("a{c}b"),
                bad(Constraint::NoReservedCharacters),
            );
        }
        // Just outside the control ranges.
        for c in ['\u{20}', '\u{7e}', '\u{a0}', '\u{a1}'] {
            self.row(
                cite,
                l(&format!("inner {c:?}")),
                &call,
                format!("a{c}b"),
                ok.clone(),
            );
        }
        // The contract's "contain" reading of the `arn` rule covers the
        // names it lists (AWS-API.md, "One deliberate difference"); a
        // workflow id keeps the service's "must not be" wording.
        let contain = member != "workflowId";
        self.row(
            cite,
            l("the literal arn"),
            &call,
            "arn".into(),
            bad(if contain {
                Constraint::NotArn
            } else {
                Constraint::NotLiteralArn
            }),
        );
        self.row(
            cite,
            l("contains arn"),
            &call,
            "barns".into(),
            if contain {
                bad(Constraint::NotArn)
            } else {
                ok.clone()
            },
        );
        self.row(
            cite,
            l("ARN (case differs)"),
            &call,
            "ARN".into(),
            ok.clone(),
        );
        self.relaxed(
            cite,
            l("relaxed: the literal arn"),
            &call,
            "arn".into(),
            bad(Constraint::NotLiteralArn),
        );
        self.relaxed(
            cite,
            l("relaxed: contains arn"),
            &call,
            "barns".into(),
            ok.clone(),
        );
        for s in [" a", "a ", "\ta", "a\n", "\u{a0}a", "a\u{3000}"] {
            let want = if edged {
                bad(Constraint::NoEdgeWhitespace)
            } else if s.chars().any(|c| c < ' ') {
                bad(Constraint::NoReservedCharacters)
            } else {
                ok.clone()
            };
            self.row(
                cite,
                l(&format!("edge whitespace {s:?}")),
                &call,
                s.into(),
                want,
            );
        }
        self.row(
            cite,
            l("max with a reserved char"),
            &call,
            format!("{}:", "n".repeat(max - 1)),
            bad(Constraint::NoReservedCharacters),
        );
        self.row(
            cite,
            l("max + 1 with a reserved char"),
            &call,
            format!("{}:", "n".repeat(max)),
            bad(Constraint::MaxLength(max)),
        );
    }

    /// A `DurationInSecondsOptional` (A1 "Durations", A2): at most 8
    /// characters, digits or `NONE`.
    fn duration(&mut self, cite: &'static str, op: &str, member: &str, call: Call, ok: Want) {
        let l = |what: &str| format!("{op} {member}: {what}");
        for s in ["0", "1", "99999999", "00000005", "NONE"] {
            self.row(cite, l(s), &call, s.into(), ok.clone());
        }
        self.row(
            cite,
            l("9 digits"),
            &call,
            "123456789".into(),
            invalid(member, Constraint::MaxLength(8)),
        );
        self.row(
            cite,
            l("huge"),
            &call,
            "9".repeat(10_000),
            invalid(member, Constraint::MaxLength(8)),
        );
        for s in [
            "", "-1", "1.5", " 1", "1 ", "+1", "none", "1e3", "0x10", "١",
        ] {
            self.row(
                cite,
                l(&format!("{s:?}")),
                &call,
                s.into(),
                invalid(member, Constraint::Duration),
            );
        }
    }

    /// A `TaskPriority` (A1, A2): a decimal `i32`.
    fn priority(&mut self, cite: &'static str, op: &str, member: &str, call: Call, ok: Want) {
        let l = |what: &str| format!("{op} {member}: {what}");
        for s in ["0", "-2147483648", "2147483647", "+7", "-7"] {
            self.row(cite, l(s), &call, s.into(), ok.clone());
        }
        for s in [
            "2147483648",
            "-2147483649",
            "99999999999",
            "",
            "-",
            "high",
            " 1",
            "1.0",
            "1e3",
            "0x10",
        ] {
            self.row(
                cite,
                l(&format!("{s:?}")),
                &call,
                s.into(),
                invalid(member, Constraint::Int32),
            );
        }
    }

    /// A `PageSize` (A2, A4): 0..=1000.
    fn page_size(&mut self, cite: &'static str, op: &str, member: &str, call: Call) {
        let l = |what: &str| format!("{op} {member}: {what}");
        for n in ["0", "1", "1000"] {
            self.row(cite, l(n), &call, n.into(), Want::Ok);
        }
        for (n, c) in [
            ("-1", Constraint::MinValue(0)),
            ("-2147483648", Constraint::MinValue(0)),
            ("1001", Constraint::MaxValue(1000)),
            ("2147483647", Constraint::MaxValue(1000)),
        ] {
            self.row(cite, l(n), &call, n.into(), invalid(member, c));
        }
    }

    /// An SWF task token (A2: 1..1024; A5: every refusal is
    /// `UnknownResourceFault`). `live` is the answer for the live token.
    fn swf_token(&mut self, op: &str, call: Call, live: Want) {
        let cite = "A2 TaskToken; A5";
        let l = |what: &str| format!("{op} taskToken: {what}");
        let u = || Want::Fault("UnknownResourceFault");
        self.row(cite, l("live"), &call, "$swf".into(), live);
        self.row(
            cite,
            l("empty"),
            &call,
            String::new(),
            invalid("taskToken", Constraint::MinLength(1)),
        );
        self.row(cite, l("1024 chars"), &call, "t".repeat(1024), u());
        self.row(
            cite,
            l("1025 chars"),
            &call,
            "t".repeat(1025),
            invalid("taskToken", Constraint::MaxLength(1024)),
        );
        self.row(
            cite,
            l("huge"),
            &call,
            "t".repeat(100_000),
            invalid("taskToken", Constraint::MaxLength(1024)),
        );
        self.row(cite, l("garbage"), &call, "garbage".into(), u());
        self.row(
            cite,
            l("control characters"),
            &call,
            "\u{0}\u{1f}\u{7f}".into(),
            u(),
        );
        self.row(cite, l("the literal arn"), &call, "arn".into(), u());
        self.row(cite, l("live + 1 char"), &call, "$swf+".into(), u());
        self.row(cite, l("live - 1 char"), &call, "$swf-".into(), u());
        self.row(cite, l("forged nonce"), &call, "$swf~nonce".into(), u());
        self.row(cite, l("unknown slot"), &call, "$swf~slot".into(), u());
        self.row(cite, l("unknown shard"), &call, "$swf~shard".into(), u());
        self.row(cite, l("future generation"), &call, "$swf~gen".into(), u());
        self.row(cite, l("bad layout tag"), &call, "$swf~tag".into(), u());
        self.row(cite, l("closed"), &call, "$swf-closed".into(), u());
        self.row(cite, l("a Step Functions token"), &call, "$sfn".into(), u());
        self.row(
            cite,
            l("a Step Functions token re-tagged SWF"),
            &call,
            "$sfn~swf".into(),
            u(),
        );
    }

    /// A Step Functions task token (A4: 1..2048; A5: `InvalidToken` for
    /// garbage, `TaskDoesNotExist` for a well-formed one naming no task,
    /// `TaskTimedOut` for a closed task).
    fn sfn_token(&mut self, op: &str, call: Call, live: Want) {
        let cite = "A4 TaskToken; A5";
        let l = |what: &str| format!("{op} taskToken: {what}");
        let f = Want::Fault;
        self.row(cite, l("live"), &call, "$sfn".into(), live);
        self.row(
            cite,
            l("empty"),
            &call,
            String::new(),
            invalid("taskToken", Constraint::MinLength(1)),
        );
        self.row(
            cite,
            l("2048 chars"),
            &call,
            "t".repeat(2048),
            f("InvalidToken"),
        );
        self.row(
            cite,
            l("2049 chars"),
            &call,
            "t".repeat(2049),
            invalid("taskToken", Constraint::MaxLength(2048)),
        );
        self.row(
            cite,
            l("huge"),
            &call,
            "t".repeat(100_000),
            invalid("taskToken", Constraint::MaxLength(2048)),
        );
        self.row(
            cite,
            l("garbage"),
            &call,
            "garbage".into(),
            f("InvalidToken"),
        );
        self.row(
            cite,
            l("control characters"),
            &call,
            "\u{0}\u{1f}".into(),
            f("InvalidToken"),
        );
        self.row(
            cite,
            l("live + 1 char"),
            &call,
            "$sfn+".into(),
            f("InvalidToken"),
        );
        self.row(
            cite,
            l("bad layout tag"),
            &call,
            "$sfn~tag".into(),
            f("InvalidToken"),
        );
        self.row(
            cite,
            l("forged nonce"),
            &call,
            "$sfn~nonce".into(),
            f("TaskDoesNotExist"),
        );
        self.row(
            cite,
            l("unknown slot"),
            &call,
            "$sfn~slot".into(),
            f("TaskDoesNotExist"),
        );
        self.row(
            cite,
            l("unknown shard"),
            &call,
            "$sfn~shard".into(),
            f("TaskDoesNotExist"),
        );
        self.row(
            cite,
            l("future generation"),
            &call,
            "$sfn~gen".into(),
            f("TaskDoesNotExist"),
        );
        self.row(
            cite,
            l("closed"),
            &call,
            "$sfn-closed".into(),
            f("TaskTimedOut"),
        );
        self.row(
            cite,
            l("an SWF token"),
            &call,
            "$swf".into(),
            f("InvalidToken"),
        );
        self.row(
            cite,
            l("an SWF token re-tagged Step Functions"),
            &call,
            "$swf~sfn".into(),
            f("TaskDoesNotExist"),
        );
    }

    /// An activity ARN member (A3 form, A4 1..256; A5 `InvalidArn` for a
    /// malformed ARN or one of another kind). `ours` answers for this
    /// broker's activity, `missing` for a well-formed ARN naming none.
    fn activity_arn(&mut self, op: &str, call: Call, ours: Want, missing: Want) {
        let cite = "A3 ARN form; A4 Arn 1..256; A5";
        let l = |what: &str| format!("{op} activityArn: {what}");
        let bad = || Want::Fault("InvalidArn");
        let p = "arn:aws:states:us-east-1:123456789012";
        self.row(cite, l("ours"), &call, format!("{p}:activity:act"), ours);
        self.row(
            cite,
            l("unknown name"),
            &call,
            format!("{p}:activity:other"),
            missing.clone(),
        );
        self.row(
            cite,
            l("name of 80 chars"),
            &call,
            format!("{p}:activity:{}", "n".repeat(80)),
            missing.clone(),
        );
        self.row(
            cite,
            l("other account"),
            &call,
            "arn:aws:states:us-east-1:000000000000:activity:act".into(),
            missing.clone(),
        );
        self.row(
            cite,
            l("other region"),
            &call,
            "arn:aws:states:eu-west-1:123456789012:activity:act".into(),
            missing.clone(),
        );
        self.row(
            cite,
            l("other partition"),
            &call,
            "arn:aws-cn:states:us-east-1:123456789012:activity:act".into(),
            missing.clone(),
        );
        self.row(
            cite,
            l("empty"),
            &call,
            String::new(),
            invalid("activityArn", Constraint::MinLength(1)),
        );
        self.row(
            cite,
            l("257 chars"),
            &call,
            format!("{p}:activity:{}", "n".repeat(257 - p.len() - 10)),
            invalid("activityArn", Constraint::MaxLength(256)),
        );
        self.row(
            cite,
            l("huge"),
            &call,
            "a".repeat(100_000),
            invalid("activityArn", Constraint::MaxLength(256)),
        );
        for (what, arn) in [
            ("arn alone", "arn".to_owned()),
            ("not an ARN", "act".to_owned()),
            (
                "ARN upper case",
                "ARN:aws:states:us-east-1:123456789012:activity:act".to_owned(),
            ),
            (
                "partition upper case",
                "arn:AWS:states:us-east-1:123456789012:activity:act".to_owned(),
            ),
            (
                "empty partition",
                "arn::states:us-east-1:123456789012:activity:act".to_owned(),
            ),
            (
                "service swf",
                "arn:aws:swf:us-east-1:123456789012:activity:act".to_owned(),
            ),
            (
                "empty region",
                "arn:aws:states::123456789012:activity:act".to_owned(),
            ),
            (
                "region upper case",
                "arn:aws:states:US-EAST-1:123456789012:activity:act".to_owned(),
            ),
            (
                "region starting with -",
                "arn:aws:states:-us:123456789012:activity:act".to_owned(),
            ),
            (
                "account of 11 digits",
                "arn:aws:states:us-east-1:12345678901:activity:act".to_owned(),
            ),
            (
                "account of 13 digits",
                "arn:aws:states:us-east-1:1234567890123:activity:act".to_owned(),
            ),
            (
                "account with a letter",
                "arn:aws:states:us-east-1:12345678901x:activity:act".to_owned(),
            ),
            ("resource type Activity", format!("{p}:Activity:act")),
            ("a state-machine ARN", format!("{p}:stateMachine:act")),
            ("an execution ARN", format!("{p}:execution:m:e1")),
            ("no name", format!("{p}:activity")),
            ("empty name", format!("{p}:activity:")),
            ("extra colon", format!("{p}:activity:act:")),
            ("extra field", format!("{p}:activity:act:x")),
            (
                "name of 81 chars",
                format!("{p}:activity:{}", "n".repeat(81)),
            ),
            ("name with a space", format!("{p}:activity:a b")),
            ("name with a control char", format!("{p}:activity:a\u{1}")),
            ("name with U+FFFF", format!("{p}:activity:a\u{ffff}")),
            ("leading space", format!(" {p}:activity:act")),
            ("escape-looking %3A", format!("{p}%3Aactivity%3Aact")),
        ] {
            self.row(cite, l(what), &call, arn, bad());
        }
    }
}

/// The token a row's value stands for: `$swf`, `$sfn` (live),
/// `$swf-closed`, `$sfn-closed`, `+` and `-` (one character more or less),
/// and `~field` (that field of the layout changed).
fn token_value(fx: &Fx, v: &str) -> String {
    let Some(rest) = v.strip_prefix('$') else {
        return v.to_owned();
    };
    let (base, change) = rest.split_at(3);
    let live = if base == "swf" {
        &fx.swf_token
    } else {
        &fx.sfn_token
    };
    let closed = if base == "swf" {
        &fx.swf_closed
    } else {
        &fx.sfn_closed
    };
    match change {
        "" => live.clone(),
        "-closed" => closed.clone(),
        "+" => format!("{live}A"),
        "-" => live[..live.len() - 1].to_owned(),
        "~nonce" => tamper(live, 20, |b| b ^ 1),
        "~slot" => tamper(live, 6, |_| 0x7f),
        "~shard" => tamper(live, 2, |_| 0x7f),
        "~gen" => tamper(live, 7, |b| b.wrapping_add(1)),
        "~tag" => tamper(live, 0, |_| 0x13),
        "~swf" => tamper(live, 0, |_| 0x11),
        "~sfn" => tamper(live, 0, |_| 0x12),
        other => panic!("token value {other}"),
    }
}

fn call(f: impl Fn(&Fx, String) -> Got + 'static) -> Call {
    Rc::new(f)
}

fn catalogue() -> Table {
    let mut t = Table::default();
    let ok = || Want::Ok;
    let unknown = || Want::Fault("UnknownResourceFault");

    // ----- SWF: RegisterDomain (A2) -----------------------------------------
    let register = |name: String, retention: &str| RegisterDomainInput {
        name,
        workflow_execution_retention_period_in_days: retention.into(),
        ..Default::default()
    };
    t.swf_name(
        "A2 RegisterDomain.name",
        "RegisterDomain",
        "name",
        256,
        true,
        call(move |fx, v| swf_got(fx.swf.register_domain(register(v, "1")))),
        ok(),
    );
    t.row(
        "A1 RegisterDomain; A5",
        "RegisterDomain name: taken".into(),
        &call(move |fx, v| swf_got(fx.swf.register_domain(register(v, "1")))),
        D.into(),
        Want::Fault("DomainAlreadyExistsFault"),
    );
    t.text(
        "A2 RegisterDomain.description",
        "RegisterDomain",
        "description",
        0,
        1024,
        call(move |fx, v| {
            swf_got(fx.swf.register_domain(RegisterDomainInput {
                description: Some(v),
                ..register("new".into(), "1")
            }))
        }),
        ok(),
    );
    let retention = call(move |fx, v| swf_got(fx.swf.register_domain(register("new".into(), &v))));
    for v in ["0", "1", "90", "00000090", "NONE"] {
        t.row(
            "A1 RegisterDomain; A2 DurationInDays",
            format!("RegisterDomain retention: {v}"),
            &retention,
            v.into(),
            ok(),
        );
    }
    let member = "workflowExecutionRetentionPeriodInDays";
    t.row(
        "A2 DurationInDays",
        "RegisterDomain retention: empty".into(),
        &retention,
        String::new(),
        invalid(member, Constraint::MinLength(1)),
    );
    t.row(
        "A2 DurationInDays",
        "RegisterDomain retention: 9 chars".into(),
        &retention,
        "000000001".into(),
        invalid(member, Constraint::MaxLength(8)),
    );
    for v in ["91", "-1", "1.5", " 1", "none", "99999999"] {
        t.row(
            "A1 RegisterDomain (max 90 days)",
            format!("RegisterDomain retention: {v:?}"),
            &retention,
            v.into(),
            invalid(member, Constraint::RetentionDays),
        );
    }
    let tagged = move |key: String, value: Option<String>| RegisterDomainInput {
        tags: vec![ResourceTag { key, value }],
        ..register("new".into(), "1")
    };
    t.length(
        "A2 ResourceTagKey",
        "RegisterDomain",
        "tags.1.member.key",
        1,
        128,
        call(move |fx, v| swf_got(fx.swf.register_domain(tagged(v, None)))),
        ok(),
    );
    t.length(
        "A2 ResourceTagValue",
        "RegisterDomain",
        "tags.1.member.value",
        0,
        256,
        call(move |fx, v| swf_got(fx.swf.register_domain(tagged("k".into(), Some(v))))),
        ok(),
    );
    let tag_key = call(move |fx, v| swf_got(fx.swf.register_domain(tagged(v, Some("v".into())))));
    for v in ["team_1.a:b/c=d+e-f@g", "é中 x\t"] {
        t.row(
            "A2 RegisterDomain tags (tag chars)",
            format!("RegisterDomain tag key: {v:?}"),
            &tag_key,
            v.into(),
            ok(),
        );
    }
    for v in ["a#b", "a*", "a,b", "a\u{0}", "€"] {
        t.row(
            "A2 RegisterDomain tags (tag chars)",
            format!("RegisterDomain tag key: {v:?}"),
            &tag_key,
            v.into(),
            invalid("tags.1.member.key", Constraint::TagCharacters),
        );
    }
    let many = call(move |fx, v| {
        let n: usize = v.parse().expect("count");
        swf_got(
            fx.swf.register_domain(RegisterDomainInput {
                tags: (0..n)
                    .map(|i| ResourceTag {
                        key: format!("k{i}"),
                        value: None,
                    })
                    .collect(),
                ..register("new".into(), "1")
            }),
        )
    });
    t.row(
        "A1 SWF quotas (50 tags)",
        "RegisterDomain tags: 50".into(),
        &many,
        "50".into(),
        ok(),
    );
    t.row(
        "A1 SWF quotas (50 tags)",
        "RegisterDomain tags: 51".into(),
        &many,
        "51".into(),
        Want::Fault("TooManyTagsFault"),
    );

    // ----- SWF: RegisterActivityType (A2) -------------------------------------
    let reg_type = |domain: &str, name: &str, version: &str| RegisterActivityTypeInput {
        domain: domain.into(),
        name: name.into(),
        version: version.into(),
        ..Default::default()
    };
    t.text(
        "A2 RegisterActivityType.domain",
        "RegisterActivityType",
        "domain",
        1,
        256,
        call(move |fx, v| swf_got(fx.swf.register_activity_type(reg_type(&v, "t", "1")))),
        unknown(),
    );
    t.swf_name(
        "A2 RegisterActivityType.name",
        "RegisterActivityType",
        "name",
        256,
        false,
        call(move |fx, v| swf_got(fx.swf.register_activity_type(reg_type(D, &v, "1")))),
        ok(),
    );
    t.swf_name(
        "A2 RegisterActivityType.version",
        "RegisterActivityType",
        "version",
        64,
        false,
        call(move |fx, v| swf_got(fx.swf.register_activity_type(reg_type(D, "t", &v)))),
        ok(),
    );
    t.row(
        "A1 RegisterActivityType",
        "RegisterActivityType: taken".into(),
        &call(move |fx, v| swf_got(fx.swf.register_activity_type(reg_type(D, &v, "1")))),
        "a".into(),
        Want::Fault("TypeAlreadyExistsFault"),
    );
    t.text(
        "A2 RegisterActivityType.description",
        "RegisterActivityType",
        "description",
        0,
        1024,
        call(move |fx, v| {
            swf_got(fx.swf.register_activity_type(RegisterActivityTypeInput {
                description: Some(v),
                ..reg_type(D, "t", "1")
            }))
        }),
        ok(),
    );
    type Setter = fn(&mut RegisterActivityTypeInput, String);
    let durations: [(&str, Setter); 4] = [
        ("defaultTaskStartToCloseTimeout", |i, v| {
            i.default_task_start_to_close_timeout = Some(v)
        }),
        ("defaultTaskHeartbeatTimeout", |i, v| {
            i.default_task_heartbeat_timeout = Some(v)
        }),
        ("defaultTaskScheduleToStartTimeout", |i, v| {
            i.default_task_schedule_to_start_timeout = Some(v)
        }),
        ("defaultTaskScheduleToCloseTimeout", |i, v| {
            i.default_task_schedule_to_close_timeout = Some(v)
        }),
    ];
    for (member, set) in durations {
        t.duration(
            "A2 DurationInSecondsOptional",
            "RegisterActivityType",
            member,
            call(move |fx, v| {
                let mut input = reg_type(D, "t", "1");
                set(&mut input, v);
                swf_got(fx.swf.register_activity_type(input))
            }),
            ok(),
        );
    }
    t.swf_name(
        "A2 RegisterActivityType.defaultTaskList.name",
        "RegisterActivityType",
        "defaultTaskList.name",
        256,
        true,
        call(move |fx, v| {
            swf_got(fx.swf.register_activity_type(RegisterActivityTypeInput {
                default_task_list: Some(TaskList::new(v)),
                ..reg_type(D, "t", "1")
            }))
        }),
        ok(),
    );
    t.priority(
        "A2 TaskPriority",
        "RegisterActivityType",
        "defaultTaskPriority",
        call(move |fx, v| {
            swf_got(fx.swf.register_activity_type(RegisterActivityTypeInput {
                default_task_priority: Some(v),
                ..reg_type(D, "t", "1")
            }))
        }),
        ok(),
    );

    // ----- SWF: Deprecate / Undeprecate / Delete / Describe ActivityType (A2)
    type TypeOp = fn(&swf::Client, ActivityTypeInput) -> Got;
    let type_ops: [(&str, TypeOp); 4] = [
        ("DeprecateActivityType", |c, i| {
            swf_got(c.deprecate_activity_type(i))
        }),
        ("UndeprecateActivityType", |c, i| {
            swf_got(c.undeprecate_activity_type(i))
        }),
        ("DeleteActivityType", |c, i| {
            swf_got(c.delete_activity_type(i))
        }),
        ("DescribeActivityType", |c, i| {
            swf_got(c.describe_activity_type(i))
        }),
    ];
    for (op, f) in type_ops {
        let input = |d: &str, n: &str, v: &str| ActivityTypeInput {
            domain: d.into(),
            activity_type: ActivityType::new(n, v),
        };
        let cite = "A2 ActivityType refs";
        t.text(
            cite,
            op,
            "domain",
            1,
            256,
            call(move |fx, v| f(&fx.swf, input(&v, "a", "1"))),
            unknown(),
        );
        t.text(
            cite,
            op,
            "activityType.name",
            1,
            256,
            call(move |fx, v| f(&fx.swf, input(D, &v, "1"))),
            unknown(),
        );
        t.text(
            cite,
            op,
            "activityType.version",
            1,
            64,
            call(move |fx, v| f(&fx.swf, input(D, "a", &v))),
            unknown(),
        );
        // A name breaking the character rules names nothing: looked up, not checked.
        t.row(
            cite,
            format!("{op}: a name with ':'"),
            &call(move |fx, v| f(&fx.swf, input(D, &v, "1"))),
            "a:b".into(),
            unknown(),
        );
    }
    let type_state = call(|fx, v| {
        let input = || ActivityTypeInput {
            domain: D.into(),
            activity_type: ActivityType::new("a", "1"),
        };
        match v.as_str() {
            "undeprecate registered" => swf_got(fx.swf.undeprecate_activity_type(input())),
            "delete registered" => swf_got(fx.swf.delete_activity_type(input())),
            _ => {
                fx.swf.deprecate_activity_type(input()).expect("deprecate");
                swf_got(fx.swf.deprecate_activity_type(input()))
            }
        }
    });
    t.row(
        "A1 UndeprecateActivityType",
        "UndeprecateActivityType: registered".into(),
        &type_state,
        "undeprecate registered".into(),
        Want::Fault("TypeAlreadyExistsFault"),
    );
    t.row(
        "A1 DeleteActivityType",
        "DeleteActivityType: registered".into(),
        &type_state,
        "delete registered".into(),
        Want::Fault("TypeNotDeprecatedFault"),
    );

    // ----- SWF: ListActivityTypes (A2) ----------------------------------------
    let list_types = |domain: String| ListActivityTypesInput {
        domain,
        ..Default::default()
    };
    t.text(
        "A2 ListActivityTypes.domain",
        "ListActivityTypes",
        "domain",
        1,
        256,
        call(move |fx, v| swf_got(fx.swf.list_activity_types(list_types(v)))),
        unknown(),
    );
    t.text(
        "A2 ListActivityTypes.name",
        "ListActivityTypes",
        "name",
        1,
        256,
        call(move |fx, v| {
            swf_got(fx.swf.list_activity_types(ListActivityTypesInput {
                name: Some(v),
                ..list_types(D.into())
            }))
        }),
        ok(),
    );
    t.page_size(
        "A2 PageSize",
        "ListActivityTypes",
        "maximumPageSize",
        call(move |fx, v| {
            swf_got(fx.swf.list_activity_types(ListActivityTypesInput {
                maximum_page_size: Some(v.parse().expect("i32")),
                ..list_types(D.into())
            }))
        }),
    );
    let page_token = call(move |fx, v| {
        let token = match v.as_str() {
            "$issued" => {
                fx.swf
                    .register_activity_type(reg_type(D, "b", "1"))
                    .expect("type b");
                fx.swf
                    .list_activity_types(ListActivityTypesInput {
                        maximum_page_size: Some(1),
                        ..list_types(D.into())
                    })
                    .expect("page")
                    .next_page_token
                    .expect("a second page")
            }
            "$history" => fx
                .swf
                .get_workflow_execution_history(GetWorkflowExecutionHistoryInput {
                    domain: D.into(),
                    execution: fx.exec.clone(),
                    maximum_page_size: Some(1),
                    ..Default::default()
                })
                .expect("page")
                .next_page_token
                .expect("a second page"),
            _ => v,
        };
        swf_got(fx.swf.list_activity_types(ListActivityTypesInput {
            next_page_token: Some(token),
            ..list_types(D.into())
        }))
    });
    t.row(
        "A2 PageToken",
        "ListActivityTypes nextPageToken: issued".into(),
        &page_token,
        "$issued".into(),
        ok(),
    );
    for (what, v) in [
        ("garbage", "garbage".to_owned()),
        ("empty", String::new()),
        ("2048 chars", "p".repeat(2048)),
    ] {
        t.row(
            "A2 PageToken",
            format!("ListActivityTypes nextPageToken: {what}"),
            &page_token,
            v,
            invalid("nextPageToken", Constraint::PageToken),
        );
    }
    t.row(
        "A2 PageToken (max 2048)",
        "ListActivityTypes nextPageToken: 2049 chars".into(),
        &page_token,
        "p".repeat(2049),
        invalid("nextPageToken", Constraint::MaxLength(2048)),
    );
    t.row(
        "A2 PageToken",
        "ListActivityTypes nextPageToken: another listing's".into(),
        &page_token,
        "$history".into(),
        invalid("nextPageToken", Constraint::PageToken),
    );

    // ----- SWF: StartWorkflowExecution (A2) -----------------------------------
    let start = |domain: &str, wid: &str| StartWorkflowExecutionInput {
        domain: domain.into(),
        workflow_id: wid.into(),
        workflow_type: WorkflowType::new("w", "1"),
        ..Default::default()
    };
    let cite = "A2 StartWorkflowExecution";
    let op = "StartWorkflowExecution";
    t.text(
        cite,
        op,
        "domain",
        1,
        256,
        call(move |fx, v| swf_got(fx.swf.start_workflow_execution(start(&v, "w2")))),
        unknown(),
    );
    t.swf_name(
        cite,
        op,
        "workflowId",
        256,
        false,
        call(move |fx, v| swf_got(fx.swf.start_workflow_execution(start(D, &v)))),
        ok(),
    );
    t.text(
        cite,
        op,
        "workflowType.name",
        1,
        256,
        call(move |fx, v| {
            swf_got(
                fx.swf
                    .start_workflow_execution(StartWorkflowExecutionInput {
                        workflow_type: WorkflowType::new(v, "1"),
                        ..start(D, "w2")
                    }),
            )
        }),
        unknown(),
    );
    t.text(
        cite,
        op,
        "workflowType.version",
        1,
        64,
        call(move |fx, v| {
            swf_got(
                fx.swf
                    .start_workflow_execution(StartWorkflowExecutionInput {
                        workflow_type: WorkflowType::new("w", v),
                        ..start(D, "w2")
                    }),
            )
        }),
        unknown(),
    );
    t.swf_name(
        cite,
        op,
        "taskList.name",
        256,
        true,
        call(move |fx, v| {
            swf_got(
                fx.swf
                    .start_workflow_execution(StartWorkflowExecutionInput {
                        task_list: Some(TaskList::new(v)),
                        ..start(D, "w2")
                    }),
            )
        }),
        ok(),
    );
    t.priority(
        cite,
        op,
        "taskPriority",
        call(move |fx, v| {
            swf_got(
                fx.swf
                    .start_workflow_execution(StartWorkflowExecutionInput {
                        task_priority: Some(v),
                        ..start(D, "w2")
                    }),
            )
        }),
        ok(),
    );
    t.text(
        cite,
        op,
        "input",
        0,
        32768,
        call(move |fx, v| {
            swf_got(
                fx.swf
                    .start_workflow_execution(StartWorkflowExecutionInput {
                        input: Some(v),
                        ..start(D, "w2")
                    }),
            )
        }),
        ok(),
    );
    let exec_timeout = call(move |fx, v| {
        swf_got(
            fx.swf
                .start_workflow_execution(StartWorkflowExecutionInput {
                    execution_start_to_close_timeout: Some(v),
                    ..start(D, "w2")
                }),
        )
    });
    for v in ["1", "31536000"] {
        t.row(
            "A1 Durations (executionStartToCloseTimeout: not NONE, at most 1 year)",
            format!("{op} executionStartToCloseTimeout: {v}"),
            &exec_timeout,
            v.into(),
            ok(),
        );
    }
    let m = "executionStartToCloseTimeout";
    t.row(
        "A1 Durations",
        format!("{op} {m}: one year + 1 s"),
        &exec_timeout,
        "31536001".into(),
        invalid(m, Constraint::MaxValue(31_536_000)),
    );
    t.row(
        "A1 Durations",
        format!("{op} {m}: NONE"),
        &exec_timeout,
        "NONE".into(),
        invalid(m, Constraint::Duration),
    );
    t.row(
        "A1 Durations",
        format!("{op} {m}: -1"),
        &exec_timeout,
        "-1".into(),
        invalid(m, Constraint::Duration),
    );
    t.row(
        "A2 DurationInSecondsOptional",
        format!("{op} {m}: 9 chars"),
        &exec_timeout,
        "123456789".into(),
        invalid(m, Constraint::MaxLength(8)),
    );
    let tags = call(move |fx, v| {
        let (n, len): (usize, usize) = match v.split_once('x') {
            Some((n, l)) => (n.parse().expect("n"), l.parse().expect("len")),
            None => panic!("tags {v}"),
        };
        swf_got(
            fx.swf
                .start_workflow_execution(StartWorkflowExecutionInput {
                    tag_list: (0..n)
                        .map(|i| format!("{i}{}", "t".repeat(len - 1)))
                        .collect(),
                    ..start(D, "w2")
                }),
        )
    });
    t.row(
        "A2 TagList (max 5)",
        format!("{op} tagList: 5 tags"),
        &tags,
        "5x1".into(),
        ok(),
    );
    t.row(
        "A2 TagList (max 5)",
        format!("{op} tagList: 6 tags"),
        &tags,
        "6x1".into(),
        invalid("tagList", Constraint::MaxLength(5)),
    );
    t.row(
        "A2 Tag (max 256)",
        format!("{op} tagList: a tag of 256"),
        &tags,
        "1x256".into(),
        ok(),
    );
    t.row(
        "A2 Tag (max 256)",
        format!("{op} tagList: a tag of 257"),
        &tags,
        "1x257".into(),
        invalid("tagList.1.member", Constraint::MaxLength(256)),
    );
    t.duration(
        cite,
        op,
        "taskStartToCloseTimeout",
        call(move |fx, v| {
            swf_got(
                fx.swf
                    .start_workflow_execution(StartWorkflowExecutionInput {
                        task_start_to_close_timeout: Some(v),
                        ..start(D, "w2")
                    }),
            )
        }),
        ok(),
    );
    t.text(
        cite,
        op,
        "lambdaRole",
        1,
        1600,
        call(move |fx, v| {
            swf_got(
                fx.swf
                    .start_workflow_execution(StartWorkflowExecutionInput {
                        lambda_role: Some(v),
                        ..start(D, "w2")
                    }),
            )
        }),
        ok(),
    );
    t.row(
        "A5",
        format!("{op}: already running"),
        &call(move |fx, v| swf_got(fx.swf.start_workflow_execution(start(D, &v)))),
        "wf".into(),
        Want::Fault("WorkflowExecutionAlreadyStartedFault"),
    );

    // ----- SWF: GetWorkflowExecutionHistory (A2) ------------------------------
    let cite = "A2 GetWorkflowExecutionHistory";
    let op = "GetWorkflowExecutionHistory";
    let history = |fx: &Fx| GetWorkflowExecutionHistoryInput {
        domain: D.into(),
        execution: fx.exec.clone(),
        ..Default::default()
    };
    t.text(
        cite,
        op,
        "domain",
        1,
        256,
        call(move |fx, v| {
            swf_got(
                fx.swf
                    .get_workflow_execution_history(GetWorkflowExecutionHistoryInput {
                        domain: v,
                        ..history(fx)
                    }),
            )
        }),
        unknown(),
    );
    t.text(
        cite,
        op,
        "execution.workflowId",
        1,
        256,
        call(move |fx, v| {
            swf_got(
                fx.swf
                    .get_workflow_execution_history(GetWorkflowExecutionHistoryInput {
                        execution: WorkflowExecution::new(v, fx.exec.run_id.clone()),
                        ..history(fx)
                    }),
            )
        }),
        unknown(),
    );
    t.text(
        cite,
        op,
        "execution.runId",
        1,
        64,
        call(move |fx, v| {
            swf_got(
                fx.swf
                    .get_workflow_execution_history(GetWorkflowExecutionHistoryInput {
                        execution: WorkflowExecution::new("wf", v),
                        ..history(fx)
                    }),
            )
        }),
        unknown(),
    );
    t.page_size(
        cite,
        op,
        "maximumPageSize",
        call(move |fx, v| {
            swf_got(
                fx.swf
                    .get_workflow_execution_history(GetWorkflowExecutionHistoryInput {
                        maximum_page_size: Some(v.parse().expect("i32")),
                        ..history(fx)
                    }),
            )
        }),
    );
    let hist_token = call(move |fx, v| {
        let token = if v == "$issued" {
            fx.swf
                .get_workflow_execution_history(GetWorkflowExecutionHistoryInput {
                    maximum_page_size: Some(2),
                    ..history(fx)
                })
                .expect("page")
                .next_page_token
                .expect("a second page")
        } else {
            v
        };
        swf_got(
            fx.swf
                .get_workflow_execution_history(GetWorkflowExecutionHistoryInput {
                    next_page_token: Some(token),
                    ..history(fx)
                }),
        )
    });
    t.row(
        cite,
        format!("{op} nextPageToken: issued"),
        &hist_token,
        "$issued".into(),
        ok(),
    );
    t.row(
        cite,
        format!("{op} nextPageToken: garbage"),
        &hist_token,
        "garbage".into(),
        invalid("nextPageToken", Constraint::PageToken),
    );
    t.row(
        cite,
        format!("{op} nextPageToken: 2049 chars"),
        &hist_token,
        "p".repeat(2049),
        invalid("nextPageToken", Constraint::MaxLength(2048)),
    );

    // ----- SWF: RespondDecisionTaskCompleted and its decisions (A2) -----------
    let cite = "A2 RespondDecisionTaskCompleted";
    let op = "RespondDecisionTaskCompleted";
    let decide = |fx: &Fx, decisions: Vec<Decision>| {
        swf_got(
            fx.swf
                .respond_decision_task_completed(RespondDecisionTaskCompletedInput {
                    domain: D.into(),
                    execution: fx.exec.clone(),
                    decisions,
                    ..Default::default()
                }),
        )
    };
    t.text(
        cite,
        op,
        "executionContext",
        0,
        32768,
        call(move |fx, v| {
            swf_got(
                fx.swf
                    .respond_decision_task_completed(RespondDecisionTaskCompletedInput {
                        domain: D.into(),
                        execution: fx.exec.clone(),
                        execution_context: Some(v),
                        ..Default::default()
                    }),
            )
        }),
        ok(),
    );
    t.swf_name(
        cite,
        op,
        "taskList.name",
        256,
        true,
        call(move |fx, v| {
            swf_got(
                fx.swf
                    .respond_decision_task_completed(RespondDecisionTaskCompletedInput {
                        domain: D.into(),
                        execution: fx.exec.clone(),
                        task_list: Some(TaskList::new(v)),
                        ..Default::default()
                    }),
            )
        }),
        ok(),
    );
    t.duration(
        cite,
        op,
        "taskListScheduleToStartTimeout",
        call(move |fx, v| {
            swf_got(
                fx.swf
                    .respond_decision_task_completed(RespondDecisionTaskCompletedInput {
                        domain: D.into(),
                        execution: fx.exec.clone(),
                        task_list_schedule_to_start_timeout: Some(v),
                        ..Default::default()
                    }),
            )
        }),
        ok(),
    );
    t.text(
        cite,
        op,
        "domain",
        1,
        256,
        call(move |fx, v| {
            swf_got(
                fx.swf
                    .respond_decision_task_completed(RespondDecisionTaskCompletedInput {
                        domain: v,
                        execution: fx.exec.clone(),
                        ..Default::default()
                    }),
            )
        }),
        unknown(),
    );
    let sched = |f: fn(&mut ScheduleActivityTaskDecisionAttributes, String)| {
        call(move |fx, v| {
            let mut a = ScheduleActivityTaskDecisionAttributes {
                activity_type: ActivityType::new("a", "1"),
                activity_id: "new".into(),
                ..Default::default()
            };
            f(&mut a, v);
            decide(fx, vec![Decision::ScheduleActivityTask(a)])
        })
    };
    let p = |m: &str| format!("decisions.1.member.scheduleActivityTaskDecisionAttributes.{m}");
    let cite = "A2 ScheduleActivityTaskDecisionAttributes";
    t.text(
        cite,
        op,
        &p("activityType.name"),
        1,
        256,
        sched(|a, v| a.activity_type.name = v),
        ok(),
    );
    t.text(
        cite,
        op,
        &p("activityType.version"),
        1,
        64,
        sched(|a, v| a.activity_type.version = v),
        ok(),
    );
    t.swf_name(
        cite,
        op,
        &p("activityId"),
        256,
        false,
        sched(|a, v| a.activity_id = v),
        ok(),
    );
    t.text(
        cite,
        op,
        &p("control"),
        0,
        32768,
        sched(|a, v| a.control = Some(v)),
        ok(),
    );
    t.text(
        cite,
        op,
        &p("input"),
        0,
        32768,
        sched(|a, v| a.input = Some(v)),
        ok(),
    );
    t.swf_name(
        cite,
        op,
        &p("taskList.name"),
        256,
        true,
        sched(|a, v| a.task_list = Some(TaskList::new(v))),
        ok(),
    );
    t.duration(
        cite,
        op,
        &p("scheduleToCloseTimeout"),
        sched(|a, v| a.schedule_to_close_timeout = Some(v)),
        ok(),
    );
    t.duration(
        cite,
        op,
        &p("scheduleToStartTimeout"),
        sched(|a, v| a.schedule_to_start_timeout = Some(v)),
        ok(),
    );
    t.duration(
        cite,
        op,
        &p("startToCloseTimeout"),
        sched(|a, v| a.start_to_close_timeout = Some(v)),
        ok(),
    );
    t.duration(
        cite,
        op,
        &p("heartbeatTimeout"),
        sched(|a, v| a.heartbeat_timeout = Some(v)),
        ok(),
    );
    t.priority(
        cite,
        op,
        &p("taskPriority"),
        sched(|a, v| a.task_priority = Some(v)),
        ok(),
    );
    t.text(
        "A2 RequestCancelActivityTaskDecisionAttributes",
        op,
        "decisions.1.member.requestCancelActivityTaskDecisionAttributes.activityId",
        1,
        256,
        call(move |fx, v| {
            decide(
                fx,
                vec![Decision::RequestCancelActivityTask(
                    RequestCancelActivityTaskDecisionAttributes { activity_id: v },
                )],
            )
        }),
        ok(),
    );
    // 1-based paths, and all or nothing: a bad second decision refuses the first.
    t.row(
        "A0.2 (member paths are 1-based); A1 Scheduling",
        format!("{op}: a bad second decision"),
        &call(move |fx, v| decide(fx, vec![schedule("fine"), schedule(&v)])),
        "a:b".into(),
        invalid(
            "decisions.2.member.scheduleActivityTaskDecisionAttributes.activityId",
            Constraint::NoReservedCharacters,
        ),
    );

    // ----- SWF: PollForActivityTask (A2) --------------------------------------
    let cite = "A2 PollForActivityTask";
    let op = "PollForActivityTask";
    let poll = |fx: &Fx, domain: String, list: String, identity: Option<String>| {
        swf_got(fx.swf.poll_for_activity_task_timeout(
            PollForActivityTaskInput {
                domain,
                task_list: TaskList::new(list),
                identity,
            },
            Duration::ZERO,
        ))
    };
    t.text(
        cite,
        op,
        "domain",
        1,
        256,
        call(move |fx, v| poll(fx, v, "empty".into(), None)),
        unknown(),
    );
    t.swf_name(
        cite,
        op,
        "taskList.name",
        256,
        true,
        call(move |fx, v| poll(fx, D.into(), v, None)),
        ok(),
    );
    t.text(
        cite,
        op,
        "identity",
        0,
        256,
        call(move |fx, v| poll(fx, D.into(), "empty".into(), Some(v))),
        ok(),
    );

    // ----- SWF: the task calls (A2) -------------------------------------------
    let heartbeat = |fx: &Fx, token: String, details: Option<String>| {
        swf_got(
            fx.swf
                .record_activity_task_heartbeat(RecordActivityTaskHeartbeatInput {
                    task_token: token,
                    details,
                }),
        )
    };
    t.swf_token(
        "RecordActivityTaskHeartbeat",
        call(move |fx, v| heartbeat(fx, token_value(fx, &v), None)),
        ok(),
    );
    t.text(
        "A2 RecordActivityTaskHeartbeat.details (LimitedData)",
        "RecordActivityTaskHeartbeat",
        "details",
        0,
        2048,
        call(move |fx, v| heartbeat(fx, fx.swf_token.clone(), Some(v))),
        ok(),
    );
    let completed = |fx: &Fx, token: String, result: Option<String>| {
        swf_got(
            fx.swf
                .respond_activity_task_completed(RespondActivityTaskCompletedInput {
                    task_token: token,
                    result,
                }),
        )
    };
    t.swf_token(
        "RespondActivityTaskCompleted",
        call(move |fx, v| completed(fx, token_value(fx, &v), None)),
        ok(),
    );
    t.text(
        "A2 RespondActivityTaskCompleted.result (Data)",
        "RespondActivityTaskCompleted",
        "result",
        0,
        32768,
        call(move |fx, v| completed(fx, fx.swf_token.clone(), Some(v))),
        ok(),
    );
    let failed = |fx: &Fx, token: String, reason: Option<String>, details: Option<String>| {
        swf_got(
            fx.swf
                .respond_activity_task_failed(RespondActivityTaskFailedInput {
                    task_token: token,
                    reason,
                    details,
                }),
        )
    };
    t.swf_token(
        "RespondActivityTaskFailed",
        call(move |fx, v| failed(fx, token_value(fx, &v), None, None)),
        ok(),
    );
    t.text(
        "A2 RespondActivityTaskFailed.reason (FailureReason)",
        "RespondActivityTaskFailed",
        "reason",
        0,
        256,
        call(move |fx, v| failed(fx, fx.swf_token.clone(), Some(v), None)),
        ok(),
    );
    t.text(
        "A2 RespondActivityTaskFailed.details (Data)",
        "RespondActivityTaskFailed",
        "details",
        0,
        32768,
        call(move |fx, v| failed(fx, fx.swf_token.clone(), None, Some(v))),
        ok(),
    );
    let canceled = |fx: &Fx, token: String, details: Option<String>| {
        swf_got(
            fx.swf
                .respond_activity_task_canceled(RespondActivityTaskCanceledInput {
                    task_token: token,
                    details,
                }),
        )
    };
    t.swf_token(
        "RespondActivityTaskCanceled",
        call(move |fx, v| canceled(fx, token_value(fx, &v), None)),
        ok(),
    );
    t.text(
        "A2 RespondActivityTaskCanceled.details (Data)",
        "RespondActivityTaskCanceled",
        "details",
        0,
        32768,
        call(move |fx, v| canceled(fx, fx.swf_token.clone(), Some(v))),
        ok(),
    );

    // ----- SWF: CountPendingActivityTasks (A2) --------------------------------
    let count = |fx: &Fx, domain: String, list: String| {
        swf_got(
            fx.swf
                .count_pending_activity_tasks(CountPendingActivityTasksInput {
                    domain,
                    task_list: TaskList::new(list),
                }),
        )
    };
    t.text(
        "A2 CountPendingActivityTasks",
        "CountPendingActivityTasks",
        "domain",
        1,
        256,
        call(move |fx, v| count(fx, v, LIST.into())),
        unknown(),
    );
    t.text(
        "A2 CountPendingActivityTasks",
        "CountPendingActivityTasks",
        "taskList.name",
        1,
        256,
        call(move |fx, v| count(fx, D.into(), v)),
        ok(),
    );
    t.row(
        "A2 CountPendingActivityTasks (a list never used returns 0)",
        "CountPendingActivityTasks taskList.name: ':'".into(),
        &call(move |fx, v| count(fx, D.into(), v)),
        "a:b".into(),
        ok(),
    );

    // ----- Step Functions: CreateActivity (A3, A4) ----------------------------
    let cite = "A4 CreateActivity.name; A3 Quotas; A5";
    let op = "CreateActivity";
    let create = |fx: &Fx, input: sfn::CreateActivityInput| sfn_got(fx.sfn.create_activity(input));
    let named = |name: String| sfn::CreateActivityInput {
        name,
        ..Default::default()
    };
    let by_name = call(move |fx, v| create(fx, named(v)));
    let l = |what: &str| format!("{op} name: {what}");
    t.row(cite, l("80 chars"), &by_name, "n".repeat(80), ok());
    t.row(cite, l("80 two-byte chars"), &by_name, "é".repeat(80), ok());
    t.row(
        cite,
        l("80 four-byte chars"),
        &by_name,
        "😀".repeat(80),
        ok(),
    );
    t.row(
        cite,
        l("81 chars"),
        &by_name,
        "n".repeat(81),
        invalid("name", Constraint::MaxLength(80)),
    );
    t.row(
        cite,
        l("81 four-byte chars"),
        &by_name,
        "😀".repeat(81),
        invalid("name", Constraint::MaxLength(80)),
    );
    t.row(
        cite,
        l("huge"),
        &by_name,
        "n".repeat(100_000),
        invalid("name", Constraint::MaxLength(80)),
    );
    t.row(
        cite,
        l("empty"),
        &by_name,
        String::new(),
        invalid("name", Constraint::MinLength(1)),
    );
    t.row(
        cite,
        l("the literal arn (no arn rule here)"),
        &by_name,
        "arn".into(),
        ok(),
    );
    t.row(
        cite,
        l("existing (idempotent)"),
        &by_name,
        "act".into(),
        ok(),
    );
    for s in ["a-b_c.d", "(x)!@+='", "\u{fffd}", "\u{a1}", "中文"] {
        t.row(cite, l(&format!("{s:?}")), &by_name, s.into(), ok());
    }
    for c in [
        ' ', '\t', '\n', '\u{a0}', '\u{2003}', '\u{3000}', '<', '>', '{', '}', '[', ']', '?', '*',
        '"', '#', '%', '\\', '^', '|', '~', '`', '$', '&', ',', ';', ':', '/', '\u{0}', '\u{1f}',
        '\u{7f}', '\u{80}', '\u{9f}', '\u{fffe}', '\u{ffff}',
    ] {
        t.row(
            cite,
            l(&format!("contains {c:?}")),
            &by_name,
            format!("a{c}b"),
            Want::Fault("InvalidName"),
        );
    }
    for s in ["\\x00", "%FF", "&lt;"] {
        t.row(
            cite,
            l(&format!("escape-looking {s:?}")),
            &by_name,
            s.into(),
            Want::Fault("InvalidName"),
        );
    }
    t.row(
        cite,
        l("81 chars with a bad char (the length first)"),
        &by_name,
        format!("{} ", "n".repeat(80)),
        invalid("name", Constraint::MaxLength(80)),
    );
    let tagged = move |key: String, value: String| sfn::CreateActivityInput {
        tags: vec![sfn::Tag::new(key, value)],
        ..named("new".into())
    };
    t.length(
        "A4 TagKey",
        op,
        "tags.1.member.key",
        1,
        128,
        call(move |fx, v| create(fx, tagged(v, "v".into()))),
        ok(),
    );
    t.length(
        "A4 TagValue",
        op,
        "tags.1.member.value",
        0,
        256,
        call(move |fx, v| create(fx, tagged("k".into(), v))),
        ok(),
    );
    let tag_value = call(move |fx, v| create(fx, tagged("k".into(), v)));
    for v in ["a_.:/=+-@", "é 中"] {
        t.row(
            "A4 CreateActivity tags (tag chars)",
            format!("{op} tag value: {v:?}"),
            &tag_value,
            v.into(),
            ok(),
        );
    }
    for v in ["a#b", "a;b", "€", "a\u{1}"] {
        t.row(
            "A4 CreateActivity tags (tag chars)",
            format!("{op} tag value: {v:?}"),
            &tag_value,
            v.into(),
            invalid("tags.1.member.value", Constraint::TagCharacters),
        );
    }
    let many = call(move |fx, v| {
        let n: usize = v.parse().expect("count");
        create(
            fx,
            sfn::CreateActivityInput {
                tags: (0..n)
                    .map(|i| sfn::Tag::new(format!("k{i}"), "v"))
                    .collect(),
                ..named("new".into())
            },
        )
    });
    t.row(
        "A4 CreateActivity errors (TooManyTags)",
        format!("{op} tags: 50"),
        &many,
        "50".into(),
        ok(),
    );
    t.row(
        "A4 CreateActivity errors (TooManyTags)",
        format!("{op} tags: 51"),
        &many,
        "51".into(),
        Want::Fault("TooManyTags"),
    );
    let kms = move |key: Option<String>, period: Option<i32>| sfn::CreateActivityInput {
        encryption_configuration: Some(sfn::EncryptionConfiguration {
            r#type: sfn::EncryptionType::CustomerManagedKmsKey,
            kms_key_id: key,
            kms_data_key_reuse_period_seconds: period,
        }),
        ..named("new".into())
    };
    t.text(
        "A4 KmsKeyId",
        op,
        "encryptionConfiguration.kmsKeyId",
        1,
        2048,
        call(move |fx, v| create(fx, kms(Some(v), None))),
        ok(),
    );
    let period =
        call(move |fx, v| create(fx, kms(Some("k".into()), Some(v.parse().expect("i32")))));
    for p in ["60", "900"] {
        t.row(
            "A4 KmsDataKeyReusePeriodSeconds",
            format!("{op} kmsDataKeyReusePeriodSeconds: {p}"),
            &period,
            p.into(),
            ok(),
        );
    }
    for p in ["59", "901", "-1"] {
        t.row(
            "A4 KmsDataKeyReusePeriodSeconds; A3 CreateActivity errors",
            format!("{op} kmsDataKeyReusePeriodSeconds: {p}"),
            &period,
            p.into(),
            Want::Fault("InvalidEncryptionConfiguration"),
        );
    }
    t.row(
        "A3 CreateActivity errors",
        format!("{op}: customer key without a key id"),
        &call(move |fx, _| create(fx, kms(None, None))),
        String::new(),
        Want::Fault("InvalidEncryptionConfiguration"),
    );
    t.row(
        "A3 CreateActivity (a repeat with another encryption)",
        format!("{op}: existing, another encryption"),
        &call(move |fx, v| {
            create(
                fx,
                sfn::CreateActivityInput {
                    name: v,
                    ..kms(Some("k".into()), None)
                },
            )
        }),
        "act".into(),
        Want::Fault("ActivityAlreadyExists"),
    );

    // ----- Step Functions: activity ARNs (A3, A4, A5) --------------------------
    t.activity_arn(
        "DescribeActivity",
        call(|fx, v| {
            sfn_got(
                fx.sfn
                    .describe_activity(sfn::DescribeActivityInput { activity_arn: v }),
            )
        }),
        ok(),
        Want::Fault("ActivityDoesNotExist"),
    );
    t.activity_arn(
        "GetActivityTask",
        call(|fx, v| {
            sfn_got(fx.sfn.get_activity_task_timeout(
                sfn::GetActivityTaskInput {
                    activity_arn: v,
                    worker_name: None,
                },
                Duration::ZERO,
            ))
        }),
        ok(),
        Want::Fault("ActivityDoesNotExist"),
    );
    t.activity_arn(
        "DeleteActivity",
        call(|fx, v| {
            sfn_got(
                fx.sfn
                    .delete_activity(sfn::DeleteActivityInput { activity_arn: v }),
            )
        }),
        ok(),
        ok(),
    );
    t.text(
        "A4 GetActivityTask.workerName (Name)",
        "GetActivityTask",
        "workerName",
        1,
        80,
        call(|fx, v| {
            sfn_got(fx.sfn.get_activity_task_timeout(
                sfn::GetActivityTaskInput {
                    activity_arn: fx.arn.clone(),
                    worker_name: Some(v),
                },
                Duration::ZERO,
            ))
        }),
        ok(),
    );

    // ----- Step Functions: ListActivities (A4) ---------------------------------
    t.page_size(
        "A4 PageSize",
        "ListActivities",
        "maxResults",
        call(|fx, v| {
            sfn_got(fx.sfn.list_activities(sfn::ListActivitiesInput {
                max_results: Some(v.parse().expect("i32")),
                next_token: None,
            }))
        }),
    );
    let next = call(|fx, v| {
        let token = match v.as_str() {
            "$issued" => {
                fx.sfn
                    .create_activity(sfn::CreateActivityInput {
                        name: "b".into(),
                        ..Default::default()
                    })
                    .expect("b");
                fx.sfn
                    .list_activities(sfn::ListActivitiesInput {
                        max_results: Some(1),
                        next_token: None,
                    })
                    .expect("page")
                    .next_token
                    .expect("a second page")
            }
            "$history" => fx
                .sfn
                .get_execution_history(sfn::GetExecutionHistoryInput {
                    execution_arn: fx.sfn_execs[0].clone(),
                    max_results: Some(1),
                    ..Default::default()
                })
                .expect("page")
                .next_token
                .expect("a second page"),
            _ => v,
        };
        sfn_got(fx.sfn.list_activities(sfn::ListActivitiesInput {
            max_results: None,
            next_token: Some(token),
        }))
    });
    let cite = "A4 ListActivities.nextToken (PageToken 1..1024); A5";
    t.row(
        cite,
        "ListActivities nextToken: issued".into(),
        &next,
        "$issued".into(),
        ok(),
    );
    t.row(
        cite,
        "ListActivities nextToken: empty".into(),
        &next,
        String::new(),
        invalid("nextToken", Constraint::MinLength(1)),
    );
    t.row(
        cite,
        "ListActivities nextToken: 1024 chars".into(),
        &next,
        "p".repeat(1024),
        Want::Fault("InvalidToken"),
    );
    t.row(
        cite,
        "ListActivities nextToken: 1025 chars".into(),
        &next,
        "p".repeat(1025),
        invalid("nextToken", Constraint::MaxLength(1024)),
    );
    t.row(
        cite,
        "ListActivities nextToken: garbage".into(),
        &next,
        "garbage".into(),
        Want::Fault("InvalidToken"),
    );
    t.row(
        cite,
        "ListActivities nextToken: another listing's".into(),
        &next,
        "$history".into(),
        Want::Fault("InvalidToken"),
    );

    // ----- Step Functions: the task calls (A4) ----------------------------------
    let success = |fx: &Fx, token: String, output: String| {
        sfn_got(fx.sfn.send_task_success(sfn::SendTaskSuccessInput {
            task_token: token,
            output,
        }))
    };
    t.sfn_token(
        "SendTaskSuccess",
        call(move |fx, v| success(fx, token_value(fx, &v), "{}".into())),
        ok(),
    );
    let output = call(move |fx, v| success(fx, fx.sfn_token.clone(), v));
    let cite = "A0.4 (UTF-8 bytes); A4 SendTaskSuccess.output (SensitiveData max 262144)";
    let json = |body: String| format!("\"{body}\"");
    let o = |what: &str| format!("SendTaskSuccess output: {what}");
    t.row(
        cite,
        o("262,144 one-byte"),
        &output,
        json("a".repeat(262_142)),
        ok(),
    );
    t.row(
        cite,
        o("262,145 one-byte"),
        &output,
        json("a".repeat(262_143)),
        invalid("output", Constraint::MaxLength(262_144)),
    );
    t.row(
        cite,
        o("262,144 bytes of two-byte chars"),
        &output,
        json("é".repeat(131_071)),
        ok(),
    );
    t.row(
        cite,
        o("262,146 bytes of two-byte chars (131,073 chars)"),
        &output,
        json("é".repeat(131_072)),
        invalid("output", Constraint::MaxLength(262_144)),
    );
    t.row(
        cite,
        o("a three-byte char ending at the limit"),
        &output,
        json(format!("{}€", "a".repeat(262_139))),
        ok(),
    );
    t.row(
        cite,
        o("a three-byte char crossing the limit"),
        &output,
        json(format!("{}€", "a".repeat(262_140))),
        invalid("output", Constraint::MaxLength(262_144)),
    );
    t.row(
        cite,
        o("a four-byte char crossing the limit"),
        &output,
        json(format!("{}😀", "a".repeat(262_139))),
        invalid("output", Constraint::MaxLength(262_144)),
    );
    t.row(
        cite,
        o("huge, not JSON (the length first)"),
        &output,
        "x".repeat(1_000_000),
        invalid("output", Constraint::MaxLength(262_144)),
    );
    let cite = "A3 SendTaskSuccess (InvalidOutput: not JSON)";
    for v in ["", "not json", "{", "{\"a\":}", "\u{0}", "'single'"] {
        t.row(
            cite,
            o(&format!("{v:?}")),
            &output,
            v.into(),
            Want::Fault("InvalidOutput"),
        );
    }
    for v in [
        "{}",
        "[]",
        "null",
        "1",
        "\"\\u0000\"",
        " {\"a\": [1, 2.5e3, true]} ",
    ] {
        t.row(cite, o(&format!("{v:?}")), &output, v.into(), ok());
    }
    t.row(
        cite,
        "SendTaskSuccess: garbage token, not JSON (JSON first)".into(),
        &call(move |fx, v| success(fx, "garbage".into(), v)),
        "not json".into(),
        Want::Fault("InvalidOutput"),
    );
    let failure = |fx: &Fx, token: String, error: Option<String>, cause: Option<String>| {
        sfn_got(fx.sfn.send_task_failure(sfn::SendTaskFailureInput {
            task_token: token,
            error,
            cause,
        }))
    };
    t.sfn_token(
        "SendTaskFailure",
        call(move |fx, v| failure(fx, token_value(fx, &v), None, None)),
        ok(),
    );
    t.text(
        "A4 SendTaskFailure.error (SensitiveError 0..256)",
        "SendTaskFailure",
        "error",
        0,
        256,
        call(move |fx, v| failure(fx, fx.sfn_token.clone(), Some(v), None)),
        ok(),
    );
    t.text(
        "A4 SendTaskFailure.cause (SensitiveCause 0..32768)",
        "SendTaskFailure",
        "cause",
        0,
        32768,
        call(move |fx, v| failure(fx, fx.sfn_token.clone(), None, Some(v))),
        ok(),
    );
    t.sfn_token(
        "SendTaskHeartbeat",
        call(|fx, v| {
            sfn_got(fx.sfn.send_task_heartbeat(sfn::SendTaskHeartbeatInput {
                task_token: token_value(fx, &v),
            }))
        }),
        ok(),
    );

    t
}

/// Members whose value AWS leaves out of the message (sensitive shapes).
const SENSITIVE: [&str; 3] = ["output", "error", "cause"];

#[test]
fn every_constraint_at_its_boundaries() {
    let table = catalogue();
    let mut failures = Vec::new();
    let mut refusals = 0;
    for row in &table.rows {
        let fx = Fx::new(if row.relaxed {
            |b| b.relaxed_arn_rule(true)
        } else {
            |b| b
        });
        let before = fx.snapshot();
        let got = (row.call)(&fx, row.value.clone());
        let verdict = match (&row.want, &got) {
            (Want::Ok, Got::Ok) => Ok(()),
            (Want::Fault(w), Got::Fault(g)) if w == g => Ok(()),
            (
                Want::Invalid(member, c),
                Got::Invalid {
                    violations,
                    hidden,
                    message,
                },
            ) => {
                let one = [(member.clone(), c.clone())];
                if violations.as_slice() != one {
                    Err(format!("violations {violations:?}"))
                } else if *hidden != SENSITIVE.contains(&member.as_str()) {
                    Err(format!("value hidden: {hidden}"))
                } else if !message.starts_with("1 validation error detected: Value ")
                    || !message
                        .contains(&format!(" at '{member}' failed to satisfy constraint: {c}"))
                {
                    Err(format!("message {message:?}"))
                } else {
                    Ok(())
                }
            }
            _ => Err(format!("got {got:?}")),
        };
        if let Err(e) = verdict {
            failures.push(format!(
                "{} [{}]: want {:?}, {e}",
                row.label, row.cite, row.want
            ));
            continue;
        }
        if got != Got::Ok {
            refusals += 1;
            if fx.snapshot() != before {
                failures.push(format!(
                    "{} [{}]: the refusal changed state",
                    row.label, row.cite
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        table.rows.len(),
        failures.join("\n")
    );
    // The table is what it claims to be: hundreds of boundaries, most refused.
    assert!(table.rows.len() > 600, "{} rows", table.rows.len());
    assert!(refusals > 400, "{refusals} refusals");
}

/// One violation per bad member, also when another member failed first
/// (A0.2: "N validation errors detected"): a bad name does not make an empty
/// retention period report its format too, nor a bad page size hide a bad
/// page token.
#[test]
fn one_violation_per_member_when_several_fail() {
    let fx = Fx::new(|b| b);
    let members = |got: Got| match got {
        Got::Invalid { violations, .. } => violations,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        members(swf_got(fx.swf.register_domain(RegisterDomainInput {
            name: String::new(),
            workflow_execution_retention_period_in_days: String::new(),
            ..Default::default()
        }))),
        [
            ("name".to_owned(), Constraint::MinLength(1)),
            (
                "workflowExecutionRetentionPeriodInDays".to_owned(),
                Constraint::MinLength(1)
            ),
        ]
    );
    for (token, c) in [
        ("garbage".to_owned(), Constraint::PageToken),
        ("p".repeat(2049), Constraint::MaxLength(2048)),
    ] {
        assert_eq!(
            members(swf_got(fx.swf.list_domains(ListDomainsInput {
                maximum_page_size: Some(-1),
                next_page_token: Some(token),
                ..Default::default()
            }))),
            // In the members' order: botocore lists `nextPageToken` first.
            [
                ("nextPageToken".to_owned(), c),
                ("maximumPageSize".to_owned(), Constraint::MinValue(0)),
            ]
        );
    }
}
