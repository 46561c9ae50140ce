//! `ListName`: a task list's namespace and name, kept inline when short.
//!
//! A shard frees a list once it is drained and unpolled (past a small ring
//! of recently idle ones), so that an idle list costs no memory; a busy
//! engine with many lists therefore creates and frees lists all the time.
//! Two boxed strings per list made that two allocations and two frees per
//! list, and every lookup followed two pointers to compare the names. Names
//! are short in practice (`"shop"`, `"shipping"`, an activity ARN's
//! prefix): both are kept here, back to back, within the list itself.

/// Bytes kept inline: the namespace and the name together.
const INLINE: usize = 61;

/// A namespace (SWF domain, Step Functions activity) and a list name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ListName {
    /// The namespace's `ns` bytes, then the name's, in `bytes[..len]`.
    Inline {
        ns: u8,
        len: u8,
        bytes: [u8; INLINE],
    },
    /// Too long to keep inline.
    Boxed { namespace: Box<str>, name: Box<str> },
}

impl ListName {
    /// The key of list `name` of `namespace`.
    pub(crate) fn new(namespace: &str, name: &str) -> ListName {
        let total = namespace.len() + name.len();
        let mut bytes = [0u8; INLINE];
        match (
            u8::try_from(namespace.len()),
            u8::try_from(total),
            total <= INLINE,
        ) {
            (Ok(ns), Ok(len), true) => {
                if let Some((head, tail)) = bytes.split_at_mut_checked(namespace.len()) {
                    head.copy_from_slice(namespace.as_bytes());
                    if let Some(t) = tail.get_mut(..name.len()) {
                        t.copy_from_slice(name.as_bytes());
                    }
                }
                ListName::Inline { ns, len, bytes }
            }
            _ => ListName::Boxed {
                namespace: namespace.into(),
                name: name.into(),
            },
        }
    }

    /// Whether this is list `name` of `namespace`.
    pub(crate) fn is(&self, namespace: &str, name: &str) -> bool {
        match self {
            ListName::Inline { ns, len, bytes } => {
                usize::from(*ns) == namespace.len()
                    && usize::from(*len) == namespace.len() + name.len()
                    && bytes.get(..namespace.len()) == Some(namespace.as_bytes())
                    && bytes.get(namespace.len()..usize::from(*len)) == Some(name.as_bytes())
            }
            ListName::Boxed {
                namespace: n,
                name: m,
            } => **n == *namespace && **m == *name,
        }
    }

    /// Whether the list is of `namespace`.
    pub(crate) fn in_namespace(&self, namespace: &str) -> bool {
        match self {
            ListName::Inline { ns, bytes, .. } => {
                usize::from(*ns) == namespace.len()
                    && bytes.get(..namespace.len()) == Some(namespace.as_bytes())
            }
            ListName::Boxed { namespace: n, .. } => **n == *namespace,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn short_names_are_inline_and_long_ones_boxed() {
        assert!(matches!(
            ListName::new("shop", "shipping"),
            ListName::Inline { .. }
        ));
        let long = "n".repeat(INLINE);
        assert!(matches!(
            ListName::new("shop", &long),
            ListName::Boxed { .. }
        ));
        assert!(matches!(ListName::new("", &long), ListName::Inline { .. }));
        // The key is the pair, not the concatenation.
        let k = ListName::new("ab", "c");
        assert!(k.is("ab", "c"));
        assert!(!k.is("a", "bc"));
        assert!(k.in_namespace("ab") && !k.in_namespace("a") && !k.in_namespace("abc"));
    }

    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_list_name_is_64_bytes() {
        assert_eq!(std::mem::size_of::<ListName>(), 64);
    }

    proptest! {
        /// A key is exactly its pair, inline or boxed.
        #[test]
        fn is_exactly_its_pair(
            ns in "[a-zé]{0,40}", name in "[a-z]{0,40}",
            ns2 in "[a-zé]{0,40}", name2 in "[a-z]{0,40}",
        ) {
            let k = ListName::new(&ns, &name);
            prop_assert!(k.is(&ns, &name));
            prop_assert!(k.in_namespace(&ns));
            prop_assert_eq!(k.is(&ns2, &name2), ns == ns2 && name == name2);
            prop_assert_eq!(k.in_namespace(&ns2), ns == ns2);
        }
    }
}
