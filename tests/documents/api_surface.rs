//! The public surfaces, one line per item: of the generated clients, one snapshot per
//! document (any edit of `openapi.yaml` or `openapi-v8.1.yaml` that changes what users of a
//! client see shows up here as a diff to review), and of the hand-written library (`src/`:
//! the `Appliance`, its request builders, the models and errors).

use std::path::{Path, PathBuf};

/// `vbazure::v1`, generated from `openapi.yaml`.
#[test]
fn v1_api_surface() {
    insta::with_settings!({ omit_expression => true, description => "vbazure::v1 from openapi.yaml" }, {
        insta::assert_snapshot!("v1_api_surface", vbazure::v1::API_SURFACE);
    });
}

/// `vbazure::v8_1`, generated from `openapi-v8.1.yaml`.
#[test]
fn v8_1_api_surface() {
    insta::with_settings!({ omit_expression => true, description => "vbazure::v8_1 from openapi-v8.1.yaml" }, {
        insta::assert_snapshot!("v8_1_api_surface", vbazure::v8_1::API_SURFACE);
    });
}

/// The hand-written library: every `pub` item of `src/`, file by file.
#[test]
fn library_api_surface() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    collect_sources(&root.join("src"), &mut paths);
    paths.sort();
    let files: Vec<(String, syn::File)> = paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("a source file reads");
            let parsed = syn::parse_file(&text).expect("a source file parses");
            let shown = path
                .strip_prefix(root)
                .expect("below the package")
                .to_string_lossy()
                .replace('\\', "/");
            (shown, parsed)
        })
        .collect();
    let surface = vbazure_surface::library_surface(&files);
    // The builders are the way to send a request with options (a guard against the summary
    // losing them, as well as the snapshot).
    assert!(surface.contains("DeleteBackups<'a>::tier("), "{surface}");
    insta::with_settings!({ omit_expression => true, description => "the pub items of src/" }, {
        insta::assert_snapshot!("library_api_surface", surface);
    });
}

fn collect_sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ lists") {
        let path = entry.expect("an entry of src/").path();
        if path.is_dir() {
            collect_sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}
