//! The checks, one file each. Register a new check with one line in `crate::REGISTRY`.

pub mod captured_variable_race;
pub mod concurrent_handler_state;
pub mod concurrent_map_access;
pub mod double_checked_locking;
pub mod framework;
pub mod local_mutex;
pub mod locked_helper_without_lock;
pub mod loop_variable_capture;
pub mod mixed_atomic_access;
pub mod parallel_test_shared_state;
pub mod published_snapshot_mutation;
pub mod returned_guarded_map;
pub mod sync_map_check_then_act;
pub mod unguarded_field_access;
pub mod unsynchronized_slice_append;
pub mod wait_group_add_in_goroutine;
pub mod write_under_read_lock;
