//! Copying a fixture folder, shared by the connector and scanner tests.

use std::path::Path;

/// Copies the folder `from` to `to`, recursively (a fixture into a scratch folder or a
/// bucket's backing folder).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
