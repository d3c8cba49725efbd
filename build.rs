//! Generates the client from `openapi.yaml` into `OUT_DIR` (see `crates/vbazure-codegen`).

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=openapi.yaml");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let spec = manifest_dir.join("openapi.yaml");
    if let Err(message) = vbazure_codegen::generate_files(&spec, "openapi.yaml", &out_dir) {
        // Cargo shows a failed build script's stderr; one clear message, no backtrace.
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}
