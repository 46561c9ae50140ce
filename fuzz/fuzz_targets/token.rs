//! Token parsing: any string given as a task token is refused with the
//! documented fault and changes nothing; it never panics, and never reaches
//! a live task it was not issued for.
//!
//! One engine (built once) holds a live started task on each face. Every
//! input goes to both faces' heartbeat and to SWF's complete:
//!
//! - the exact live token is accepted (heartbeat only: completing it would
//!   end the task for later inputs);
//! - any other string of a valid length is refused: SWF always with
//!   `UnknownResourceFault`; Step Functions with `InvalidToken` exactly when
//!   the string is not of the documented layout (36 base64url characters,
//!   first byte `0x12`), else `TaskDoesNotExist` or `TaskTimedOut`
//!   (DESIGN.md, "Task tokens"; AWS-API.md A5);
//! - a length outside 1–1024 (SWF) or 1–2048 (Step Functions) characters is
//!   a `ValidationException` on `taskToken` (A2, A4);
//! - afterwards both live tokens still work.
#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use activity_broker::swf::{self, *};
use activity_broker::{Broker, ManualClock, sfn};
use libfuzzer_sys::fuzz_target;

struct Live {
    swf: swf::Client,
    sfn: sfn::Client,
    swf_token: String,
    sfn_token: String,
}

fn live() -> &'static Live {
    static LIVE: OnceLock<Live> = OnceLock::new();
    LIVE.get_or_init(|| {
        let broker = Broker::builder()
            .clock(ManualClock::new())
            .seed(1)
            .shards(4)
            .build()
            .expect("broker");
        let swf = broker.swf();
        swf.register_domain(RegisterDomainInput {
            name: "d".into(),
            workflow_execution_retention_period_in_days: "1".into(),
            ..Default::default()
        })
        .expect("domain");
        swf.register_workflow_type(RegisterWorkflowTypeInput {
            domain: "d".into(),
            name: "w".into(),
            version: "1".into(),
            default_task_list: Some(TaskList::new("deciders")),
            default_execution_start_to_close_timeout: Some("3600".into()),
            default_task_start_to_close_timeout: Some("60".into()),
            default_child_policy: Some(ChildPolicy::Terminate),
            ..Default::default()
        })
        .expect("workflow type");
        swf.register_activity_type(RegisterActivityTypeInput {
            domain: "d".into(),
            name: "a".into(),
            version: "1".into(),
            default_task_list: Some(TaskList::new("l")),
            default_task_schedule_to_start_timeout: Some("NONE".into()),
            default_task_schedule_to_close_timeout: Some("NONE".into()),
            default_task_start_to_close_timeout: Some("NONE".into()),
            default_task_heartbeat_timeout: Some("NONE".into()),
            ..Default::default()
        })
        .expect("activity type");
        let run = swf
            .start_workflow_execution(StartWorkflowExecutionInput {
                domain: "d".into(),
                workflow_id: "wf".into(),
                workflow_type: WorkflowType::new("w", "1"),
                ..Default::default()
            })
            .expect("start");
        swf.respond_decision_task_completed(RespondDecisionTaskCompletedInput {
            domain: "d".into(),
            execution: WorkflowExecution::new("wf", run.run_id),
            decisions: vec![Decision::ScheduleActivityTask(
                ScheduleActivityTaskDecisionAttributes {
                    activity_type: ActivityType::new("a", "1"),
                    activity_id: "x".into(),
                    ..Default::default()
                },
            )],
            ..Default::default()
        })
        .expect("schedule");
        let swf_token = swf
            .poll_for_activity_task_timeout(
                PollForActivityTaskInput {
                    domain: "d".into(),
                    task_list: TaskList::new("l"),
                    identity: None,
                },
                Duration::ZERO,
            )
            .expect("poll")
            .task_token;
        let sfn = broker.sfn();
        let arn = sfn
            .create_activity(sfn::CreateActivityInput {
                name: "act".into(),
                ..Default::default()
            })
            .expect("activity")
            .activity_arn;
        sfn.start_execution(sfn::StartExecutionInput {
            state_machine_arn: sfn.state_machine_arn("m"),
            activity_arn: arn.clone(),
            ..Default::default()
        })
        .expect("start execution");
        let sfn_token = sfn
            .get_activity_task_timeout(
                sfn::GetActivityTaskInput {
                    activity_arn: arn,
                    worker_name: None,
                },
                Duration::ZERO,
            )
            .expect("get task")
            .task_token
            .expect("a queued task");
        Live {
            swf,
            sfn,
            swf_token,
            sfn_token,
        }
    })
}

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The documented layout: 36 base64url characters whose first byte is the
/// tag of `face_tag`.
fn has_layout(token: &str, face_tag: u8) -> bool {
    let b = token.as_bytes();
    let sextet = |c: u8| B64.iter().position(|&x| x == c);
    b.len() == 36
        && b.iter().all(|&c| sextet(c).is_some())
        && match (sextet(b[0]), sextet(b[1])) {
            (Some(hi), Some(lo)) => ((hi << 2) | (lo >> 4)) as u8 == face_tag,
            _ => false,
        }
}

fn violation(v: &activity_broker::ValidationError, max: usize, n: usize) {
    let [only] = v.violations() else {
        panic!("one violation expected: {v}");
    };
    assert_eq!(only.member(), "taskToken");
    let want = if n == 0 {
        activity_broker::Constraint::MinLength(1)
    } else {
        activity_broker::Constraint::MaxLength(max)
    };
    assert_eq!(only.constraint(), &want, "{v}");
}

fuzz_target!(|data: &[u8]| {
    let token = String::from_utf8_lossy(data).into_owned();
    let n = token.chars().count();
    let live = live();

    // SWF (A2: taskToken 1..1024; A5: every refusal UnknownResourceFault).
    let r = live
        .swf
        .record_activity_task_heartbeat(RecordActivityTaskHeartbeatInput {
            task_token: token.clone(),
            details: None,
        });
    match r {
        Ok(_) => assert_eq!(token, live.swf_token, "a forged token was accepted"),
        Err(swf::Error::Validation(v)) => {
            assert!(n == 0 || n > 1024, "{token:?}: {v}");
            violation(&v, 1024, n);
        }
        Err(swf::Error::UnknownResourceFault(_)) => {
            assert!((1..=1024).contains(&n) && token != live.swf_token)
        }
        Err(other) => panic!("token {token:?} gave {other:?}"),
    }
    if token != live.swf_token {
        let r = live
            .swf
            .respond_activity_task_completed(RespondActivityTaskCompletedInput {
                task_token: token.clone(),
                result: None,
            });
        assert!(r.is_err(), "{token:?} completed a task");
    }

    // Step Functions (A4: taskToken 1..2048; A5: InvalidToken for garbage,
    // TaskDoesNotExist or TaskTimedOut for a well-formed one).
    let r = live.sfn.send_task_heartbeat(sfn::SendTaskHeartbeatInput {
        task_token: token.clone(),
    });
    match r {
        Ok(_) => assert_eq!(token, live.sfn_token, "a forged token was accepted"),
        Err(sfn::Error::Validation(v)) => {
            assert!(n == 0 || n > 2048, "{token:?}: {v}");
            violation(&v, 2048, n);
        }
        Err(sfn::Error::InvalidToken(_)) => {
            assert!(
                (1..=2048).contains(&n) && !has_layout(&token, 0x12),
                "{token:?}"
            )
        }
        Err(sfn::Error::TaskDoesNotExist(_) | sfn::Error::TaskTimedOut(_)) => {
            assert!(
                has_layout(&token, 0x12) && token != live.sfn_token,
                "{token:?}"
            )
        }
        Err(other) => panic!("token {token:?} gave {other:?}"),
    }

    // The live tasks were not touched.
    assert!(
        live.swf
            .record_activity_task_heartbeat(RecordActivityTaskHeartbeatInput {
                task_token: live.swf_token.clone(),
                details: None,
            })
            .is_ok()
    );
    assert!(
        live.sfn
            .send_task_heartbeat(sfn::SendTaskHeartbeatInput {
                task_token: live.sfn_token.clone(),
            })
            .is_ok()
    );
});
