//! Access control: IAM-style policies for scoped SWF clients.
//!
//! SWF controls access with IAM policies whose statements name actions
//! (`swf:PollForActivityTask`, and for decisions the pseudo-actions
//! `swf:ScheduleActivityTask` and `swf:RequestCancelActivityTask`),
//! resources (domains) and conditions (such as `swf:taskList.name`). This
//! module evaluates the same three parts the way IAM does:
//!
//! 1. a statement that denies the request wins over everything;
//! 2. otherwise a statement must allow it;
//! 3. otherwise it is denied (the default).
//!
//! Actions and domains match exactly or with the IAM wildcards `*` (any run
//! of characters) and `?` (one character). A condition on a key the request
//! does not carry is false, as in IAM, so a statement conditioned on the task
//! list never matches a request without one.
//!
//! A call outside the policy fails with `OperationNotPermittedFault` and
//! changes nothing; a decision outside it is recorded as failed with cause
//! `OPERATION_NOT_PERMITTED`, as SWF does.

use std::fmt;

/// Whether a statement allows or denies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    /// `"Effect": "Allow"`.
    Allow,
    /// `"Effect": "Deny"`: wins over any allow.
    Deny,
}

/// A condition on the `swf:taskList.name` key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TaskListCondition {
    /// `StringEquals`: the name is one of these.
    StringEquals(Vec<String>),
    /// `StringLike`: the name matches one of these patterns (`*`, `?`).
    StringLike(Vec<String>),
}

impl TaskListCondition {
    fn holds(&self, name: Option<&str>) -> bool {
        let Some(name) = name else {
            return false;
        };
        match self {
            TaskListCondition::StringEquals(v) => v.iter().any(|x| x == name),
            TaskListCondition::StringLike(v) => v.iter().any(|p| glob(p, name)),
        }
    }
}

/// One policy statement: an effect, the actions and domains it covers, and
/// an optional task-list condition.
///
/// # Examples
///
/// ```
/// use activity_broker::swf::{Statement, TaskListCondition};
///
/// let s = Statement::allow(["swf:PollForActivityTask", "swf:Respond*"])
///     .domains(["shop"])
///     .task_list(TaskListCondition::StringLike(vec!["ship-*".into()]));
/// # let _ = s;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    effect: Effect,
    actions: Vec<String>,
    domains: Vec<String>,
    task_list: Option<TaskListCondition>,
}

impl Statement {
    fn new<I, S>(effect: Effect, actions: I) -> Statement
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Statement {
            effect,
            actions: actions.into_iter().map(Into::into).collect(),
            domains: vec!["*".to_owned()],
            task_list: None,
        }
    }

    /// A statement allowing `actions` (`swf:<Operation>`, wildcards
    /// allowed) on every domain until [`domains`](Statement::domains)
    /// narrows it.
    pub fn allow<I, S>(actions: I) -> Statement
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Statement::new(Effect::Allow, actions)
    }

    /// A statement denying `actions`; a deny wins over any allow.
    pub fn deny<I, S>(actions: I) -> Statement
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Statement::new(Effect::Deny, actions)
    }

    /// Limits the statement to these domains (names, wildcards allowed).
    pub fn domains<I, S>(mut self, domains: I) -> Statement
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.domains = domains.into_iter().map(Into::into).collect();
        self
    }

    /// Adds a condition on `swf:taskList.name`.
    pub fn task_list(mut self, condition: TaskListCondition) -> Statement {
        self.task_list = Some(condition);
        self
    }

    /// The statement's effect.
    pub fn effect(&self) -> Effect {
        self.effect
    }

    fn matches(&self, req: &Request<'_>) -> bool {
        self.actions.iter().any(|a| glob(a, req.action))
            && match req.domain {
                Some(d) => self.domains.iter().any(|p| glob(p, d)),
                // Account-level actions (ListDomains) match only statements
                // on every domain.
                None => self.domains.iter().any(|p| p == "*"),
            }
            && self
                .task_list
                .as_ref()
                .is_none_or(|c| c.holds(req.task_list))
    }
}

/// An IAM-style policy: a list of statements. The empty policy denies
/// everything.
///
/// # Examples
///
/// ```
/// use activity_broker::swf::{self, Policy, Statement, TaskListCondition};
/// use activity_broker::swf::{PollForActivityTaskInput, RegisterDomainInput, TaskList};
/// use activity_broker::Broker;
/// use std::time::Duration;
///
/// let admin = Broker::new().swf();
/// admin.register_domain(RegisterDomainInput {
///     name: "shop".into(),
///     workflow_execution_retention_period_in_days: "1".into(),
///     ..Default::default()
/// })?;
/// let worker = admin.scoped(
///     Policy::new()
///         .with(Statement::allow(["swf:PollForActivityTask"])
///             .domains(["shop"])
///             .task_list(TaskListCondition::StringLike(vec!["ship-*".into()])))
///         .with(Statement::deny(["swf:PollForActivityTask"])
///             .task_list(TaskListCondition::StringEquals(vec!["ship-secret".into()]))),
/// );
/// let poll = |list: &str| worker.poll_for_activity_task_timeout(
///     PollForActivityTaskInput {
///         domain: "shop".into(),
///         task_list: TaskList::new(list),
///         ..Default::default()
///     },
///     Duration::ZERO,
/// );
/// assert!(poll("ship-eu")?.is_empty());
/// assert!(matches!(poll("billing"), Err(swf::Error::OperationNotPermittedFault(_))));
/// assert!(matches!(poll("ship-secret"), Err(swf::Error::OperationNotPermittedFault(_))));
/// # Ok::<(), swf::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    statements: Vec<Statement>,
}

impl Policy {
    /// The empty policy, which denies everything.
    pub fn new() -> Policy {
        Policy::default()
    }

    /// A policy allowing every action on every domain.
    pub fn allow_all() -> Policy {
        Policy::new().with(Statement::allow(["swf:*"]))
    }

    /// The policy with one more statement.
    pub fn with(mut self, statement: Statement) -> Policy {
        self.statements.push(statement);
        self
    }

    /// The statements, in order.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// `true` if the policy permits `action` (`swf:<Operation>`) on `domain`
    /// (`None` for account-level actions) with the request's task list.
    pub fn permits(&self, action: &str, domain: Option<&str>, task_list: Option<&str>) -> bool {
        let req = Request {
            action,
            domain,
            task_list,
        };
        let mut allowed = false;
        for s in &self.statements {
            if s.matches(&req) {
                match s.effect {
                    Effect::Deny => return false,
                    Effect::Allow => allowed = true,
                }
            }
        }
        allowed
    }
}

struct Request<'a> {
    action: &'a str,
    domain: Option<&'a str>,
    task_list: Option<&'a str>,
}

/// The fault text of a refused request.
pub(crate) fn refusal(action: &str, resource: impl fmt::Display) -> String {
    format!("User is not authorized to perform: {action} on resource: {resource}")
}

/// IAM's wildcard match: `*` is any run of characters, `?` one character.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    // Iterative match with one backtrack point, linear in practice.
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || Some(&c) == t.get(ti) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|&c| c == '*'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_like_iam() {
        assert!(glob("*", ""));
        assert!(glob("swf:*", "swf:PollForActivityTask"));
        assert!(glob("swf:Respond*", "swf:RespondActivityTaskCompleted"));
        assert!(!glob("swf:Respond*", "swf:PollForActivityTask"));
        assert!(glob("a?c", "abc"));
        assert!(!glob("a?c", "ac"));
        assert!(glob("*b*d", "abcbd"));
        assert!(!glob("exact", "exactly"));
    }

    #[test]
    fn deny_wins_and_default_denies() {
        let p = Policy::new()
            .with(Statement::allow(["swf:*"]).domains(["d*"]))
            .with(Statement::deny(["swf:Terminate*"]));
        assert!(p.permits("swf:PollForActivityTask", Some("dev"), None));
        assert!(!p.permits("swf:PollForActivityTask", Some("prod"), None));
        assert!(!p.permits("swf:TerminateWorkflowExecution", Some("dev"), None));
        assert!(!Policy::new().permits("swf:ListDomains", None, None));
        assert!(Policy::allow_all().permits("swf:ListDomains", None, None));
        assert!(!p.permits("swf:ListDomains", None, None));
    }

    #[test]
    fn conditions_on_absent_keys_are_false() {
        let p = Policy::new().with(
            Statement::allow(["swf:*"])
                .task_list(TaskListCondition::StringEquals(vec!["a".into()])),
        );
        assert!(p.permits("swf:PollForActivityTask", Some("d"), Some("a")));
        assert!(!p.permits("swf:PollForActivityTask", Some("d"), Some("b")));
        assert!(!p.permits("swf:DescribeDomain", Some("d"), None));
    }
}
