//! The README's commands run as written: every concrete `mulu …` line in its code blocks
//! (synopses with `[OPTIONS]`, `a|b` or placeholders such as `ID` are left out) is run in
//! order, from a folder where `sample-data` is the repository's, and must exit with a code
//! the README documents for it, never a usage error.

use std::path::Path;
use std::process::Command;

/// The concrete `mulu` command lines of the README's code blocks, comments stripped.
fn readme_commands(readme: &str) -> Vec<String> {
    let mut in_block = false;
    let mut out = Vec::new();
    for line in readme.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            continue;
        }
        let Some(rest) = line.trim().strip_prefix("mulu ").filter(|_| in_block) else {
            continue;
        };
        let command = rest.split(" #").next().unwrap_or(rest).trim();
        let synopsis = command.contains(['[', '|']) || command.contains("...");
        let placeholder = command.split_whitespace().any(|w| {
            w.chars()
                .all(|c| c.is_ascii_uppercase() || c == '_' || c == '.')
                && w.chars().any(|c| c.is_ascii_uppercase())
        });
        if !synopsis && !placeholder {
            out.push(command.to_string());
        }
    }
    out
}

/// The exit codes the README documents as outcomes (not errors) of a command.
fn accepted(command: &str) -> &'static [i32] {
    if command.starts_with("catalog check") {
        &[0, 1] // 1: fields still 待填写
    } else if command.starts_with("diff") {
        &[0, 10] // 10: a re-filing is due
    } else {
        &[0]
    }
}

#[test]
fn every_concrete_readme_command_runs_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let commands = readme_commands(&readme);
    assert!(
        commands.iter().any(|c| c.starts_with("scan sample-data"))
            && commands.iter().any(|c| c.starts_with("catalog export"))
            && commands.len() >= 8,
        "the tour's commands were not found: {commands:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        root.join("sample-data").canonicalize().unwrap(),
        dir.path().join("sample-data"),
    )
    .unwrap();
    for command in &commands {
        let args: Vec<&str> = command.split_whitespace().collect();
        let out = Command::new(env!("CARGO_BIN_EXE_mulu"))
            .args(&args)
            .current_dir(dir.path())
            .env("MULU_STATE", dir.path().join("state.db"))
            .env_remove("MULU_CONFIG")
            .env_remove("MULU_LOG")
            .output()
            .unwrap();
        let code = out.status.code().unwrap_or(-1);
        assert!(
            accepted(command).contains(&code),
            "`mulu {command}` exited {code}:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn synopses_and_placeholders_are_not_run() {
    let text = "```sh\nmulu scan [SOURCE]...\nmulu classifiers explain ID\nmulu status   # now\n```\nmulu diff\n";
    assert_eq!(readme_commands(text), ["status"]);
}
