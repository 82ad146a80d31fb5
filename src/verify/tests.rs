//! Unit tests of the verifier: tiny roots, one rule firing and not firing.
