//! AWS Step Functions activities.
use std::sync::Arc;
use crate::broker::Core;
/// Step Functions registry.
#[derive(Debug, Default)]
pub(crate) struct Registry {}
/// A Step Functions client.
#[derive(Clone, Debug)]
pub struct Client { core: Arc<Core>, reg: Arc<Registry> }
impl Client {
    pub(crate) fn new(core: Arc<Core>, reg: Arc<Registry>) -> Client { Client { core, reg } }
}
