//! Shared output helpers for the CLI: JSON printing and tables.
