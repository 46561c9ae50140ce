//! The workspace README shows the SDK example this crate's README compiles
//! (as a doctest of this crate), so the two cannot drift apart; and the
//! client's bounds.

/// The lines of the first code block opened by `fence` after `heading`,
/// without rustdoc's hidden (`# `) lines.
fn block(text: &str, heading: &str, fence: &str) -> Vec<String> {
    let after = &text[text.find(heading).expect("heading")..];
    let start = after.find(fence).expect("fence") + fence.len();
    let body = &after[start..];
    let end = body.find("```").expect("closing fence");
    body[..end]
        .lines()
        .filter(|l| !l.starts_with("# "))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_workspace_readme_shows_the_compiled_example() {
    let heading = "## Use it with the AWS SDK";
    let compiled = block(include_str!("../README.md"), heading, "```rust\n");
    let shown = block(include_str!("../../README.md"), heading, "```rs\n");
    assert!(compiled.len() >= 10, "{compiled:?}");
    assert_eq!(shown, compiled);
}

#[test]
fn the_client_is_shared_across_threads() {
    fn shared<T: Clone + Send + Sync + std::fmt::Debug + 'static>() {}
    shared::<activity_broker_aws::BrokerHttpClient>();
}
