//! The checks, one file each. Register a new check with one line in `crate::REGISTRY`.

pub mod concurrent_handler_state;
pub mod framework;
pub mod loop_variable_capture;
pub mod unguarded_field_access;
pub mod wait_group_add_in_goroutine;
pub mod write_under_read_lock;
