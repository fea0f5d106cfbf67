//! The checks, one file each. Register a new check with one line in `crate::REGISTRY`.

pub mod framework;
pub mod loop_variable_capture;
pub mod mixed_atomic_access;
pub mod wait_group_add_in_goroutine;
