//! Operation sequences against the reference model: the bytes decode to an
//! engine configuration and up to 64 operations of both faces, clock
//! advances and invalid inputs (`ops_from_bytes`), which run against the
//! engine and the sequential model of `tests/support/model.rs`, compared
//! after every step. The property tests (`tests/model.rs`) run the same
//! model with proptest's generators, and replay this target's corpus.
#![no_main]

#[path = "../../tests/support/model.rs"]
mod model;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (cfg, ops) = model::ops_from_bytes(data);
    if let Err(e) = model::Harness::run(cfg, &ops) {
        panic!("{e}\nconfig: {cfg:?}\nops: {ops:#?}");
    }
});
