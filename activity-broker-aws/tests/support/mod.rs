//! Engines and real AWS SDK clients wired to them.

#![allow(dead_code, reason = "each test file uses its own part of the support")]

use std::future::Future;
use std::time::Duration;

use activity_broker::{Broker, ManualClock};
use activity_broker_aws::BrokerHttpClient;

/// An engine on a manual clock, with a fixed seed.
pub fn engine() -> (Broker, ManualClock) {
    let clock = ManualClock::new();
    let broker = Broker::builder()
        .clock(clock.clone())
        .seed(7)
        .build()
        .expect("engine");
    (broker, clock)
}

/// An `aws_sdk_swf` client on `broker`.
pub fn swf(broker: &Broker) -> aws_sdk_swf::Client {
    use aws_sdk_swf::config::{BehaviorVersion, Credentials, Region};
    aws_sdk_swf::Client::from_conf(
        aws_sdk_swf::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("eu-west-1"))
            .credentials_provider(Credentials::new("key", "secret", None, None, "test"))
            .http_client(BrokerHttpClient::new(broker))
            .build(),
    )
}

/// An `aws_sdk_sfn` client on `broker`.
pub fn sfn(broker: &Broker) -> aws_sdk_sfn::Client {
    use aws_sdk_sfn::config::{BehaviorVersion, Credentials, Region};
    aws_sdk_sfn::Client::from_conf(
        aws_sdk_sfn::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("key", "secret", None, None, "test"))
            .http_client(BrokerHttpClient::new(broker))
            .build(),
    )
}

/// Yields to the runtime until `ready()` holds. On a current-thread
/// runtime this also proves that whatever `ready` waits for does not block
/// the runtime's one thread.
pub async fn until(mut ready: impl FnMut() -> bool) {
    while !ready() {
        tokio::task::yield_now().await;
    }
}

/// Drives `fut` until `ready()` holds, then drops it; panics if `fut`
/// finishes first.
pub async fn drop_when<F: Future>(fut: F, ready: impl FnMut() -> bool) {
    let mut fut = std::pin::pin!(fut);
    tokio::select! {
        biased;
        _ = until(ready) => {}
        _ = &mut fut => panic!("the future finished before it was dropped"),
    }
    // `fut` is dropped here, withdrawing its poll before this returns.
}

/// Sixty seconds: the engine's long poll.
pub const LONG_POLL: Duration = Duration::from_secs(60);
