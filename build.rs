//! Generates one client module per API document into `OUT_DIR` (see `crates/vbazure-codegen`):
//! `openapi.yaml` (API v1) becomes `vbazure::v1`, `openapi-v8.1.yaml` becomes `vbazure::v8_1`.

use std::path::PathBuf;

/// Each document and the module generated from it.
const DOCUMENTS: [(&str, &str); 2] = [("openapi.yaml", "v1"), ("openapi-v8.1.yaml", "v8_1")];

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let mut failed = false;
    for (file, module) in DOCUMENTS {
        println!("cargo:rerun-if-changed={file}");
        let spec = manifest_dir.join(file);
        if let Err(message) = vbazure_codegen::generate_files(&spec, file, &out_dir, module) {
            // Cargo shows a failed build script's stderr; one clear message, no backtrace.
            eprintln!("error: {message}");
            failed = true;
        }
    }
    if failed {
        std::process::exit(1);
    }
}
