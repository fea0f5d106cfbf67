//! The racelens command line. (Placeholder.)

fn main() {}
