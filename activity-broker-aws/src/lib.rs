//! The official AWS SDK for Rust, run against an in-process
//! [activity-broker](activity_broker) engine.
//!
//! [`BrokerHttpClient`] is an HTTP client for the SDK
//! (`aws_smithy_runtime_api::client::http::HttpClient`) that opens no
//! connection: it hands each request's `X-Amz-Target` header and body to the
//! engine's [`Dispatcher`], which runs the operation and answers with the
//! status and body AWS would send. An `aws_sdk_swf::Client` or
//! `aws_sdk_sfn::Client` built with it, any region and any credentials, runs
//! every activity operation against the engine in the same process, and the
//! test around it can read the engine's state directly, move its manual
//! clock, and so on.
//!
//! # Use it with the AWS SDK
//!
//! ```
//! use activity_broker::Broker;
//! use activity_broker_aws::BrokerHttpClient;
//! use aws_sdk_sfn::config::{BehaviorVersion, Credentials, Region};
//!
//! let broker = Broker::new(); // the engine: keep it to drive or inspect it
//! let sfn = aws_sdk_sfn::Client::from_conf(
//!     aws_sdk_sfn::Config::builder()
//!         .behavior_version(BehaviorVersion::latest())
//!         .region(Region::new("us-east-1"))
//!         .credentials_provider(Credentials::new("key", "secret", None, None, "test"))
//!         .http_client(BrokerHttpClient::new(&broker))
//!         .build(),
//! );
//! let rt = tokio::runtime::Runtime::new()?;
//! let created = rt.block_on(sfn.create_activity().name("resize").send())?;
//! assert!(created.activity_arn().ends_with(":activity:resize"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The SDK needs an async sleep for its retry and timeout machinery: build
//! it with its `rt-tokio` feature (on by default), or give the config a
//! `sleep_impl`. It needs no TLS stack and no `aws-config`:
//! `default-features = false, features = ["behavior-version-latest",
//! "rt-tokio"]` is enough.
//!
//! # Long polls
//!
//! `PollForActivityTask` and `GetActivityTask` wait up to the engine's
//! long-poll duration (60 s by default). They never block the async
//! runtime: a poll that finds a task queued answers at once; one that must
//! wait runs on a thread of its own, and its future is woken when the
//! engine answers. Dropping the SDK future (a `select!`, a timeout, an
//! aborted task) withdraws the poll from the engine before the drop
//! returns, so no task is handed to a poller nobody is waiting for. Only a
//! task handed over before the drop (the engine answered, the reply was
//! not read) is lost to its poller: it is started, and ends as the task of
//! a vanished worker does, through its timeouts, as with AWS when a
//! connection drops after the service has answered.
//!
//! Every other operation runs at once, on the calling thread, and never
//! waits.
//!
//! # Wire shapes
//!
//! Requests and responses are the AWS JSON 1.0 protocol of the two
//! services; see [`activity_broker::wire`] for the shapes, the errors, and
//! the two requests whose shapes differ (`RespondDecisionTaskCompleted`
//! takes a [`decision_task_token`](activity_broker::wire::decision_task_token);
//! `StartExecution` runs the activity named like its state machine).
#![forbid(unsafe_code)]
#![warn(
    missing_docs,
    missing_debug_implementations,
    unreachable_pub,
    rust_2018_idioms
)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![doc(test(attr(deny(warnings))))]

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

use activity_broker::wire::{CONTENT_TYPE, Dispatcher, Reply};
use activity_broker::{Broker, PollCancel};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;

/// An HTTP client for the AWS SDK for Rust that serves every request from
/// an in-process engine.
///
/// Pass it to an SDK config's `http_client`. It serves both services: the
/// `X-Amz-Target` header says which. Cheap to clone; clones share the
/// engine.
///
/// # Examples
///
/// See the [crate documentation](crate).
#[derive(Clone)]
pub struct BrokerHttpClient {
    connector: SharedHttpConnector,
}

impl BrokerHttpClient {
    /// A client for `broker`'s two faces.
    pub fn new(broker: &Broker) -> BrokerHttpClient {
        BrokerHttpClient::from_dispatcher(Dispatcher::new(broker))
    }

    /// A client that sends every request to `dispatcher`: for example one
    /// whose SWF calls are checked against a policy
    /// ([`Dispatcher::scoped`]).
    pub fn from_dispatcher(dispatcher: Dispatcher) -> BrokerHttpClient {
        BrokerHttpClient {
            connector: SharedHttpConnector::new(Connector {
                dispatcher: Arc::new(dispatcher),
            }),
        }
    }
}

impl fmt::Debug for BrokerHttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BrokerHttpClient").finish_non_exhaustive()
    }
}

impl HttpClient for BrokerHttpClient {
    /// The one connector. The settings (connect and read timeouts) do not
    /// apply: nothing connects, and a long poll ends at the engine's
    /// long-poll duration.
    fn http_connector(
        &self,
        _settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.connector.clone()
    }
}

/// Turns requests into dispatcher calls.
#[derive(Debug)]
struct Connector {
    dispatcher: Arc<Dispatcher>,
}

impl HttpConnector for Connector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let target = request
            .headers()
            .get("x-amz-target")
            .unwrap_or_default()
            .to_owned();
        let Some(body) = request.body().bytes() else {
            return HttpConnectorFuture::ready(Err(ConnectorError::user(
                "activity-broker-aws: streaming request bodies are not supported".into(),
            )));
        };
        // Every operation but a long poll that finds nothing queued answers
        // at once, on the caller's thread.
        if let Some(reply) = self.dispatcher.try_dispatch(&target, body) {
            return HttpConnectorFuture::ready(response(reply));
        }
        let body = body.to_vec();
        let slot = Arc::new(Slot::default());
        let cancel = PollCancel::new();
        let poll = {
            let (dispatcher, slot, cancel) = (
                Arc::clone(&self.dispatcher),
                Arc::clone(&slot),
                cancel.clone(),
            );
            move || {
                let reply = dispatcher.dispatch_cancelable(&target, &body, &cancel);
                slot.fill(reply);
            }
        };
        // The long poll waits on a thread of its own, never on one of the
        // async runtime's.
        match std::thread::Builder::new()
            .name("activity-broker-poll".to_owned())
            .spawn(poll)
        {
            Ok(_) => HttpConnectorFuture::new(PendingPoll { slot, cancel }),
            Err(e) => HttpConnectorFuture::ready(Err(ConnectorError::other(Box::new(e), None))),
        }
    }
}

/// An HTTP response carrying `reply`.
fn response(reply: Reply) -> Result<HttpResponse, ConnectorError> {
    let (status, body) = reply.into_parts();
    let status =
        StatusCode::try_from(status).map_err(|e| ConnectorError::other(Box::new(e), None))?;
    let len = body.len();
    let mut response = HttpResponse::new(status, SdkBody::from(body));
    let headers = response.headers_mut();
    headers
        .try_insert("content-type", CONTENT_TYPE)
        .and_then(|_| headers.try_insert("content-length", len.to_string()))
        .map_err(|e| ConnectorError::other(Box::new(e), None))?;
    Ok(response)
}

/// Where a poll thread leaves its reply for the future that waits on it.
#[derive(Debug, Default)]
struct Slot {
    state: Mutex<SlotState>,
}

#[derive(Debug, Default)]
struct SlotState {
    /// The reply, once the engine has answered.
    reply: Option<Reply>,
    /// The waker of the task that last polled the future.
    waker: Option<Waker>,
}

impl Slot {
    fn lock(&self) -> std::sync::MutexGuard<'_, SlotState> {
        // Nothing under this lock can panic; a poisoned lock still holds
        // consistent state.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Called once, by the poll thread.
    fn fill(&self, reply: Reply) {
        let waker = {
            let mut s = self.lock();
            s.reply = Some(reply);
            s.waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }
}

/// A long poll running on its own thread.
///
/// | state | on `poll` | on drop |
/// |---|---|---|
/// | waiting | stores the waker, `Pending` | cancels the engine's poll |
/// | answered | takes the reply, `Ready` | nothing left to cancel |
#[derive(Debug)]
struct PendingPoll {
    slot: Arc<Slot>,
    cancel: PollCancel,
}

impl Future for PendingPoll {
    type Output = Result<HttpResponse, ConnectorError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut s = self.slot.lock();
        if let Some(reply) = s.reply.take() {
            return Poll::Ready(response(reply));
        }
        match &s.waker {
            Some(w) if w.will_wake(cx.waker()) => {}
            _ => s.waker = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

impl Drop for PendingPoll {
    /// Withdraws the engine's poll: when this returns, the poll is no
    /// longer waiting, so no task is handed to it. (After the reply has
    /// been taken, this does nothing.)
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

/// The README's example, compiled as a doctest.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
