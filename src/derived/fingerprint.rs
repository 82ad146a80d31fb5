//! Fingerprints of derived names: 64-bit hashes that let the checker find two blocks deriving
//! one name among millions without holding the names. A fingerprint seen twice is only a
//! suspicion: the checker spells both names out again and compares the text before it reports
//! anything, so a hash collision costs time, never a wrong diagnostic.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// splitmix64's finalizer: every bit of the input reaches every bit of the output.
fn mix(mut h: u64) -> u64 {
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// One multiplication folded to 64 bits: each word of input spreads over the state.
fn fold(a: u64, b: u64) -> u64 {
    let full = u128::from(a) * u128::from(b);
    (full as u64) ^ ((full >> 64) as u64)
}

const SEED: u64 = 0x9e37_79b9_7f4a_7c15;
const MULTIPLE: u64 = 0x5851_f42d_4c95_7f2d;

/// A fingerprint of `parts` (each part delimited, so `["ab", "c"]` differs from `["a", "bc"]`):
/// every 8 bytes are folded into the state with a full multiplication, and the result is
/// finished with splitmix64's avalanche.
pub(crate) fn of(parts: &[&str]) -> u64 {
    let mut h: u64 = SEED;
    for part in parts {
        let bytes = part.as_bytes();
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            h = fold(h ^ u64::from_le_bytes(word), MULTIPLE);
        }
        let rest = chunks.remainder();
        let mut tail = [0u8; 8];
        if let Some(t) = tail.get_mut(..rest.len()) {
            t.copy_from_slice(rest);
        }
        // The tail and the length end the part.
        h = fold(h ^ u64::from_le_bytes(tail), MULTIPLE);
        h = fold(h ^ (bytes.len() as u64) ^ SEED, MULTIPLE);
    }
    mix(h)
}

/// A hasher for keys that are fingerprints already.
#[derive(Default)]
pub(crate) struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by fingerprints.
pub(crate) type Seen<V> = HashMap<u64, V, BuildHasherDefault<Prehashed>>;

/// A fast hasher for short keys made by pmigc (addresses): the fingerprint's folding, fed as
/// the key writes itself. Not for keys an adversary picks to collide (names from a stack
/// could be; a collision then costs time, not correctness).
#[derive(Default)]
pub(crate) struct Folding(u64);

impl Hasher for Folding {
    fn finish(&self) -> u64 {
        mix(self.0)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.0 = fold(self.0 ^ u64::from_le_bytes(word), MULTIPLE);
        }
        let rest = chunks.remainder();
        let mut tail = [0u8; 8];
        if let Some(t) = tail.get_mut(..rest.len()) {
            t.copy_from_slice(rest);
        }
        self.0 = fold(self.0 ^ u64::from_le_bytes(tail) ^ SEED, MULTIPLE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_delimited_and_the_hash_is_stable() {
        assert_ne!(of(&["ab", "c"]), of(&["a", "bc"]));
        assert_ne!(
            of(&["address", "aws_vpc", "main"]),
            of(&["name", "aws_vpc", "main"])
        );
        assert_eq!(
            of(&["x", "a-very-long-name-of-many-words"]),
            of(&["x", "a-very-long-name-of-many-words"])
        );
        let distinct: std::collections::BTreeSet<u64> = (0..10_000)
            .map(|i| of(&["svc", &format!("svc{i}")]))
            .collect();
        assert_eq!(distinct.len(), 10_000);
    }
}
