//! `kiriminaja config`: init, show, path, check.

use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

fn default_config(env: &Env) -> std::path::PathBuf {
    env.home.path().join(".config/kiriminaja/config.toml")
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn path_follows_flag_env_and_default() {
    let env = Env::new();
    let r = run(env.cmd().args(["config", "path"]));
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout.trim_end(), default_config(&env).to_str().unwrap());
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_CONFIG", "/etc/k.toml")
        .args(["config", "path"]));
    assert_eq!(r.stdout, "/etc/k.toml\n");
    let r = run(env.cmd().env("KIRIMINAJA_CONFIG", "/etc/k.toml").args([
        "--config",
        "/x/y.toml",
        "config",
        "path",
    ]));
    assert_eq!(r.stdout, "/x/y.toml\n");
}

#[test]
fn init_from_stdin_writes_a_private_file_and_never_prints_the_key() {
    let env = Env::new();
    let r = run(env
        .cmd()
        .args(["config", "init"])
        .write_stdin(format!("{KEY}\n")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let file = default_config(&env);
    let text = read(&file);
    assert!(text.contains(&format!("api_key = \"{KEY}\"")), "{text}");
    assert!(text.contains("base_url = \"production\""), "{text}");
    #[cfg(unix)]
    {
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(file.parent().unwrap()), 0o700);
    }
    assert!(r.stderr.contains("config check"));

    // It will not overwrite the key without --force.
    let r = run(env
        .cmd()
        .args(["config", "init"])
        .write_stdin("other-key-123456\n"));
    assert_eq!(r.code, 4);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert!(read(&file).contains(KEY));
    let r = run(env
        .cmd()
        .args(["--base-url", "sandbox", "config", "init", "--force"])
        .write_stdin("other-key-123456\n"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = read(&file);
    assert!(
        text.contains("other-key-123456") && text.contains("\"sandbox\""),
        "{text}"
    );
}

#[test]
fn init_profile_keeps_comments_and_unknown_keys() {
    let env = Env::new();
    let file = env.config_file(
        "# Written by hand. Keep this comment.\napi_key = \"top-level-key-0000\"\n\
         future_setting = \"kept\"  # and this one\n\n[profiles.old]\nbase_url = \"sandbox\"\n",
    );
    let r = run(env
        .cmd()
        .args(["--config", file.to_str().unwrap()])
        .args([
            "--profile",
            "staging",
            "--base-url",
            "sandbox",
            "config",
            "init",
        ])
        .write_stdin(format!("{KEY}\n")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = read(&file);
    for kept in [
        "# Written by hand. Keep this comment.",
        "api_key = \"top-level-key-0000\"",
        "future_setting = \"kept\"  # and this one",
        "[profiles.old]",
    ] {
        assert!(text.contains(kept), "{kept} lost:\n{text}");
    }
    assert!(text.contains("[profiles.staging]"), "{text}");
    // The new profile is what --profile staging now resolves to.
    let r = run(env.cmd().args([
        "--config",
        file.to_str().unwrap(),
        "--profile",
        "staging",
        "config",
        "show",
        "--json",
    ]));
    let shown = &r.json_lines()[0];
    assert_eq!(shown["base_url"]["value"], "https://tdev.kiriminaja.com/");
    assert_eq!(shown["base_url"]["source"], "config file, profile staging");
}

#[test]
fn init_without_input_fails_naming_what_to_pass() {
    let env = Env::new();
    let r = run(env
        .cmd()
        .args(["config", "init", "--no-input"])
        .write_stdin(""));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("pass show kiriminaja | kiriminaja config init"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("KIRIMINAJA_API_KEY"), "{}", r.stderr);
    assert!(!default_config(&env).exists());
}

/// On a terminal, `--no-input` refuses to prompt. `script` gives the command a pseudo-terminal.
#[cfg(unix)]
#[test]
fn init_no_input_on_a_terminal_refuses_to_prompt() {
    let Ok(script) = which("script") else { return };
    let env = Env::new();
    let bin = assert_cmd::cargo::cargo_bin("kiriminaja");
    let output = std::process::Command::new(script)
        .env_clear()
        .env("HOME", env.home.path())
        .args([
            "-qec",
            &format!("{} config init --no-input", bin.display()),
            "/dev/null",
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let r = checked(output);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stdout.contains("--no-input"), "{r:?}");
    assert!(!default_config(&env).exists());
}

fn which(name: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
        .ok_or(())
}

#[test]
fn show_reports_sources_and_redacts_the_key() {
    let env = Env::new();
    let file = env.config_file("base_url = \"sandbox\"\ntimeout = \"10s\"\n");
    let r = run(env.cmd().env("KIRIMINAJA_API_KEY", KEY).args([
        "--config",
        file.to_str().unwrap(),
        "config",
        "show",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("kja-…4e6f (25 characters)  (environment KIRIMINAJA_API_KEY)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("https://tdev.kiriminaja.com/  (config file)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("10s  (config file)"), "{}", r.stdout);
    assert!(r.stdout.contains("(flag --config)"), "{}", r.stdout);

    let r = run(env.cmd().env("KIRIMINAJA_API_KEY", "short").args([
        "--base-url",
        "http://127.0.0.1:8080",
        "config",
        "show",
        "--json",
    ]));
    let shown = &r.json_lines()[0];
    assert_eq!(
        shown["api_key"],
        json!({"value": "(5 characters)", "source": "environment KIRIMINAJA_API_KEY"})
    );
    assert_eq!(
        shown["base_url"],
        json!({"value": "http://127.0.0.1:8080/", "source": "flag --base-url"})
    );
    assert_eq!(
        shown["timeout"],
        json!({"value": "30s", "source": "default"})
    );
    assert_eq!(shown["config_file_exists"], false);
    assert!(!r.stdout.contains("short"));
}

async fn check_against(response: ResponseTemplate) -> Run {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/mitra/tracking"))
        .and(body_json(json!({"order_id": "KJ-CLI-CHECK-000000"})))
        .respond_with(response)
        .mount(&server)
        .await;
    let env = Env::new();
    run(env.api(&server.uri()).args(["config", "check"]))
}

#[tokio::test(flavor = "multi_thread")]
async fn check_accepts_a_not_found_answer() {
    let r = check_against(
        ResponseTemplate::new(200)
            .set_body_json(json!({"status": false, "text": "data not found"})),
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("key accepted by http://127.0.0.1:"),
        "{}",
        r.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn check_reports_a_rejected_key() {
    let r =
        check_against(ResponseTemplate::new(401).set_body_json(json!({"message": "Unauthorized"})))
            .await;
    assert_eq!(r.code, 4);
    assert!(
        r.stderr.contains("key rejected (http://127.0.0.1:"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("allow-list"), "{}", r.stderr);
}

#[test]
fn check_reports_an_unreachable_api() {
    let url = closed_port_url();
    let env = Env::new();
    let r = run(env.api(&url).args(["config", "check"]));
    assert_eq!(r.code, 5);
    assert!(r.stderr.contains("API unreachable"), "{}", r.stderr);
    let r = run(env.cmd().args(["config", "check"]));
    assert_eq!(r.code, 4, "no key");
}

#[test]
fn rekeying_a_profile_keeps_where_it_points() {
    let env = Env::new();
    let file = env.config_file("[profiles.sandbox]\nbase_url = \"sandbox\" # sandbox env\n");
    let r = run(env
        .cmd()
        .args(["--config", file.to_str().unwrap(), "--profile", "sandbox"])
        .args(["config", "init"])
        .write_stdin("sbx-key-123456789012\n"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = read(&file);
    assert!(
        text.contains("base_url = \"sandbox\" # sandbox env"),
        "{text}"
    );
    assert!(
        text.contains("api_key = \"sbx-key-123456789012\""),
        "{text}"
    );
}

#[cfg(unix)]
#[test]
fn init_writes_through_a_symlinked_config() {
    let env = Env::new();
    let real = env.home.path().join("dotfiles-kiriminaja.toml");
    std::fs::write(&real, "# managed by my dotfiles\n").unwrap();
    let link = env.home.path().join("link.toml");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let r = run(env
        .cmd()
        .args(["--config", link.to_str().unwrap(), "config", "init"])
        .write_stdin(format!("{KEY}\n")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = read(&real);
    assert!(
        text.contains("# managed by my dotfiles") && text.contains(KEY),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn check_names_a_wrong_endpoint() {
    let r = check_against(ResponseTemplate::new(404)).await;
    assert_eq!(r.code, 4);
    assert!(
        r.stderr.contains("tracking endpoint not found"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_key_typed_without_quotes_is_not_echoed() {
    let env = Env::new();
    let file = env.config_file("api_key = 123456789012345678\n");
    let r = run(env
        .cmd()
        .args(["--config", file.to_str().unwrap(), "config", "show"]));
    assert_eq!(r.code, 4);
    assert!(!r.stderr.contains("123456789012345678"), "{}", r.stderr);
    assert!(r.stderr.contains("line 1"), "{}", r.stderr);
}

/// A private file holding `text`, in the test's home.
fn secret_file(env: &Env, name: &str, text: &str) -> std::path::PathBuf {
    let path = env.home.path().join(name);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(&path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    path
}

#[test]
fn show_names_the_key_file_and_the_credential_the_key_came_from() {
    let env = Env::new();
    let key_file = secret_file(&env, "api-key", &format!("{KEY}\n"));
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_API_KEY_FILE", &key_file)
        .args(["config", "show"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // A source too long for its line stands under the value (80 columns).
    assert!(
        r.stdout.contains("kja-…4e6f (25 characters)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(&format!(
            "(file {}, named by environment KIRIMINAJA_API_KEY_FILE)",
            key_file.display()
        )),
        "{}",
        r.stdout
    );

    // systemd's credentials directory, as `LoadCredential=api_key:…` lays it out.
    let credential = secret_file(&env, "credentials/api_key", KEY);
    let r = run(env
        .cmd()
        .env("CREDENTIALS_DIRECTORY", credential.parent().unwrap())
        .args(["config", "show", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.json_lines()[0]["api_key"],
        json!({
            "value": "kja-…4e6f (25 characters)",
            "source": format!("systemd credential {}", credential.display()),
        })
    );

    // The variable is above the credential; the credential above the config file's key.
    let file = env.config_file("api_key = \"from-the-config-file\"\n");
    let r = run(env
        .cmd()
        .env("CREDENTIALS_DIRECTORY", credential.parent().unwrap())
        .env("KIRIMINAJA_API_KEY_FILE", &key_file)
        .args([
            "--config",
            file.to_str().unwrap(),
            "config",
            "show",
            "--json",
        ]));
    let source = r.json_lines()[0]["api_key"]["source"].clone();
    assert!(
        source.as_str().unwrap().contains("KIRIMINAJA_API_KEY_FILE"),
        "{source}"
    );
    let r = run(env
        .cmd()
        .env("CREDENTIALS_DIRECTORY", credential.parent().unwrap())
        .args([
            "--config",
            file.to_str().unwrap(),
            "config",
            "show",
            "--json",
        ]));
    let source = r.json_lines()[0]["api_key"]["source"].clone();
    assert!(
        source.as_str().unwrap().starts_with("systemd credential"),
        "{source}"
    );
}

#[test]
fn api_key_file_in_a_profile_is_read_relative_to_the_config_file() {
    let env = Env::new();
    secret_file(&env, "keys/sandbox", &format!("{KEY}\n"));
    let file = env.config_file("[profiles.sandbox]\napi_key_file = \"keys/sandbox\"\n");
    let r = run(env.cmd().current_dir("/").args([
        "--config",
        file.to_str().unwrap(),
        "--profile",
        "sandbox",
        "config",
        "show",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("named by config file, profile sandbox)")
            && r.stdout.contains("kja-…4e6f"),
        "{}",
        r.stdout
    );
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn a_missing_or_oversized_key_file_stops_with_exit_4_and_is_never_quoted() {
    let env = Env::new();
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_API_KEY_FILE", env.home.path().join("nope"))
        .args(["config", "show"]));
    assert_eq!(r.code, 4, "{r:?}");
    assert!(
        r.stderr.contains("nope") && r.stderr.contains("KIRIMINAJA_API_KEY_FILE"),
        "{}",
        r.stderr
    );

    let big = secret_file(&env, "big", &format!("{KEY}\n").repeat(200));
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_API_KEY_FILE", &big)
        .args(["config", "show"]));
    assert_eq!(r.code, 4, "{r:?}");
    assert!(r.stderr.contains("larger than 4096 bytes"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn a_key_file_others_may_read_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let key_file = secret_file(&env, "api-key", KEY);
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let r = run(env
        .cmd()
        .env("KIRIMINAJA_API_KEY_FILE", &key_file)
        .args(["config", "show"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("readable by other users (mode 644); run: chmod 600"),
        "{}",
        r.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_key_from_a_credential_is_the_bearer_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/mitra/tracking"))
        .and(wiremock::matchers::header(
            "authorization",
            format!("Bearer {KEY}").as_str(),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": false, "text": "data not found"})),
        )
        .mount(&server)
        .await;
    let env = Env::new();
    // As systemd writes it: no trailing newline, mode 0400.
    let credential = secret_file(&env, "credentials/api_key", KEY);
    let r = run(env
        .cmd()
        .env("CREDENTIALS_DIRECTORY", credential.parent().unwrap())
        .env("KIRIMINAJA_BASE_URL", server.uri())
        .args(["config", "check"]));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.starts_with("key accepted"), "{}", r.stdout);
}

#[test]
fn init_treats_a_key_file_as_a_key_and_replaces_it_with_force() {
    let env = Env::new();
    let file = env.config_file("api_key_file = \"/run/credentials/x/api_key\"\n");
    let r = run(env
        .cmd()
        .args(["--config", file.to_str().unwrap(), "config", "init"])
        .write_stdin(format!("{KEY}\n")));
    assert_eq!(r.code, 4, "{r:?}");
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    let r = run(env
        .cmd()
        .args([
            "--config",
            file.to_str().unwrap(),
            "config",
            "init",
            "--force",
        ])
        .write_stdin(format!("{KEY}\n")));
    assert_eq!(r.code, 0, "{r:?}");
    let text = read(&file);
    assert!(!text.contains("api_key_file"), "{text}");
    assert!(text.contains(KEY));
}
