//! Typed attribute keys: the one way the checker reads an attribute. Each attribute of the
//! tables is a `Key<S>` constant of its block's module (`database::READERS`), where `S` is
//! that block's marker (`database::Of`), so reading a misspelt attribute, or one of another
//! block, does not compile; its name, range and default are read from the key, never written
//! again in the checker.
//!
//! This is the registry deciding, as a schema does (HCL's `hcldec` specs and taplo's JSON
//! schemas carry an attribute's name, type and default in one place that the decoder reads):
//! the checker asks the key for its bounds (`bounds`), its default (`default_number`,
//! `default_word`, `default_text`) and its allowed words (`values`).

use super::{Attr, Block, Default};
use std::marker::PhantomData;

/// A block kind whose attributes are keys: its marker type names its registry entry.
pub(crate) trait Schema {
    const BLOCK: &'static Block;
}

/// One attribute of the block `S`, as the registry describes it.
#[derive(Debug)]
pub(crate) struct Key<S> {
    pub attr: Attr,
    block: PhantomData<fn() -> S>,
}

impl<S> Key<S> {
    pub(crate) const fn new(attr: Attr) -> Key<S> {
        Key {
            attr,
            block: PhantomData,
        }
    }

    /// The attribute's name as a stack writes it.
    pub(crate) const fn name(&self) -> &'static str {
        self.attr.name
    }

    /// The bounds of its whole-number range; without a range, any number.
    pub(crate) const fn bounds(&self) -> (u64, u64) {
        self.attr.bounds()
    }

    /// Its default as a whole number (in its unit, for a duration), if it has one.
    pub(crate) const fn default_number(&self) -> Option<u64> {
        self.attr.default_number()
    }

    /// Its default word (`per_zone`), if its default is one of its words.
    pub(crate) const fn default_word(&self) -> Option<&'static str> {
        match self.attr.default {
            Some(Default::Word(word)) => Some(word),
            _ => None,
        }
    }

    /// Its default string (`"/"`), if its default is one.
    pub(crate) const fn default_text(&self) -> Option<&'static str> {
        match self.attr.default {
            Some(Default::Text(text)) => Some(text),
            _ => None,
        }
    }

    /// The words it allows, when its value is one of a fixed set.
    pub(crate) const fn values(&self) -> &'static [&'static str] {
        self.attr.values
    }
}

/// What names an attribute: a typed key, or a registry entry read while walking a block's
/// table. The checker's helpers that find where an attribute is written (`check::spans`)
/// take one of these, never a name written as a string.
pub(crate) trait Named {
    fn name(&self) -> &'static str;
}

impl<S> Named for Key<S> {
    fn name(&self) -> &'static str {
        self.attr.name
    }
}

impl Named for Attr {
    fn name(&self) -> &'static str {
        self.name
    }
}
