//! `kiriminaja man`: manual pages (roff) generated from the CLI definition: the top page on
//! stdout, or with `--dir` one page per command (kiriminaja-track.1, kiriminaja-config-init.1, …).
//!
//! clap_mangen writes the synopsis, description, options and command list; the sections it does
//! not know (examples, exit status from [`crate::exit::TABLE`], environment, files, see also)
//! are added here.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use roff::{Roff, bold, italic, roman};

use crate::cli::ManArgs;
use crate::exit::{Exit, TABLE};
use crate::output::{self, Output};

/// The environment variables the tool reads, for the ENVIRONMENT section.
const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "KIRIMINAJA_API_KEY",
        "The API key. It is never accepted as a flag.",
    ),
    (
        "KIRIMINAJA_API_KEY_FILE",
        "A file holding the API key (one line; mode 0600), when KIRIMINAJA_API_KEY is not set.",
    ),
    (
        "CREDENTIALS_DIRECTORY",
        "Set by systemd: its api_key credential is the key when neither variable above is set.",
    ),
    (
        "KIRIMINAJA_BASE_URL",
        "The API base URL, or production or sandbox (as --base-url).",
    ),
    ("KIRIMINAJA_CONFIG", "The config file to use (as --config)."),
    (
        "KIRIMINAJA_PROFILE",
        "The [profiles.NAME] table of the config file to use (as --profile).",
    ),
    (
        "KIRIMINAJA_STORE",
        "The parcel store's path, or off (as --store, --no-store).",
    ),
    (
        "NO_COLOR",
        "When set and not empty, no color (unless --color always).",
    ),
    (
        "CLICOLOR_FORCE",
        "When 1, color even when stdout is not a terminal (NO_COLOR still wins).",
    ),
    (
        "XDG_CONFIG_HOME",
        "Where the config folder is looked for on Linux (default ~/.config).",
    ),
];

pub fn run(args: &ManArgs, out: &mut Output) -> anyhow::Result<Exit> {
    let pages = pages()?;
    let Some(dir) = &args.dir else {
        // The top page comes first.
        out.write_all(&pages[0].1)?;
        return Ok(Exit::Success);
    };
    write_pages(dir, &pages)?;
    output::note(&format!(
        "wrote {} manual pages to {}",
        pages.len(),
        dir.display()
    ));
    Ok(Exit::Success)
}

fn write_pages(dir: &Path, pages: &[(String, Vec<u8>)]) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for (name, page) in pages {
        let path = dir.join(name);
        std::fs::write(&path, page).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// Every page as (file name, roff): the top page first, then each command's, depth first.
pub fn pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut cli = crate::cli::command();
    // Sets the display names (`kiriminaja-config-init`) that name the pages.
    cli.build();
    let mut pages = Vec::new();
    collect(&cli, None, &mut pages)?;
    Ok(pages)
}

fn collect(
    cmd: &clap::Command,
    parent: Option<&str>,
    pages: &mut Vec<(String, Vec<u8>)>,
) -> std::io::Result<()> {
    let name = page_name(cmd);
    pages.push((format!("{name}.1"), page(cmd, parent)?));
    for sub in cmd.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        collect(sub, Some(&name), pages)?;
    }
    Ok(())
}

fn page_name(cmd: &clap::Command) -> String {
    cmd.get_display_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_owned()
}

fn page(cmd: &clap::Command, parent: Option<&str>) -> std::io::Result<Vec<u8>> {
    let man = clap_mangen::Man::new(cmd.clone());
    // Each clap_mangen section comes with roff's preamble; one is enough.
    let preamble = Roff::new().render();
    let mut chunks: Vec<Vec<u8>> = Vec::new();
    let mut chunk = |render: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
        let mut buf = Vec::new();
        render(&mut buf)?;
        chunks.push(buf);
        Ok::<_, std::io::Error>(())
    };
    chunk(&|w| man.render_title(w))?;
    chunk(&|w| man.render_name_section(w))?;
    chunk(&|w| man.render_synopsis_section(w))?;
    chunk(&|w| man.render_description_section(w))?;
    chunk(&|w| man.render_options_section(w))?;
    if cmd.get_subcommands().any(|sub| !sub.is_hide_set()) {
        chunk(&|w| man.render_subcommands_section(w))?;
    }
    chunk(&|w| extra_sections(cmd, parent).to_writer(w))?;
    if cmd.get_version().is_some() {
        chunk(&|w| man.render_version_section(w))?;
    }

    let mut page = Vec::new();
    for (i, chunk) in chunks.iter().enumerate() {
        let body = if i == 0 {
            chunk.as_slice()
        } else {
            chunk
                .strip_prefix(preamble.as_bytes())
                .unwrap_or(chunk.as_slice())
        };
        page.extend_from_slice(body);
    }
    Ok(page)
}

/// NOTES and EXAMPLES from the help's footer, then EXIT STATUS, ENVIRONMENT, FILES, SEE ALSO.
fn extra_sections(cmd: &clap::Command, parent: Option<&str>) -> Roff {
    let mut roff = Roff::new();
    let after_help = cmd
        .get_after_help()
        .map(|text| text.to_string())
        .unwrap_or_default();
    let mut examples = Vec::new();
    let mut notes = Vec::new();
    let mut exit_notes = Vec::new();
    for paragraph in after_help.split("\n\n") {
        if let Some(rest) = paragraph.strip_prefix("Examples:\n") {
            examples.extend(
                rest.lines()
                    .map(|line| line.strip_prefix("  ").unwrap_or(line)),
            );
        } else if paragraph.starts_with("Exit codes:") {
            // The top page's footer: the full table below says it.
        } else if paragraph.starts_with("Exit status:") {
            exit_notes.push(paragraph);
        } else if !paragraph.trim().is_empty() {
            notes.push(paragraph);
        }
    }
    if !notes.is_empty() {
        roff.control("SH", ["NOTES"]);
        for note in notes {
            roff.control("PP", []);
            roff.text([roman(note.replace('\n', " "))]);
        }
    }
    if !examples.is_empty() {
        roff.control("SH", ["EXAMPLES"]);
        roff.control("nf", []);
        for line in examples {
            roff.text([roman(line)]);
        }
        roff.control("fi", []);
    }

    roff.control("SH", ["EXIT STATUS"]);
    for note in exit_notes {
        roff.control("PP", []);
        roff.text([roman(note.replace("\n ", " ").replace('\n', " "))]);
    }
    roff.control("PP", []);
    roff.text([roman(
        "The same codes for every command. A run that met several outcomes (a batch) exits \
         with the most severe: 130, 143, 129, then 1, 2, 4, 5, 6, 3, 8, 7, 0.",
    )]);
    for (exit, _, meaning) in TABLE {
        roff.control("TP", []);
        roff.text([bold(exit.code().to_string())]);
        roff.text([roman(*meaning)]);
    }

    roff.control("SH", ["ENVIRONMENT"]);
    for (name, meaning) in ENVIRONMENT {
        roff.control("TP", []);
        roff.text([bold(*name)]);
        roff.text([roman(*meaning)]);
    }

    roff.control("SH", ["FILES"]);
    roff.control("TP", []);
    roff.text([italic("~/.config/kiriminaja/config.toml")]);
    roff.text([roman(
        "The config file (TOML, mode 0600) on Linux: under $XDG_CONFIG_HOME when set; the \
         platform's config folder elsewhere; --config or KIRIMINAJA_CONFIG point elsewhere. \
         `kiriminaja config path` prints the one in use, `kiriminaja config init` writes it.",
    )]);
    roff.control("TP", []);
    roff.text([italic(
        "/etc/kiriminaja/config.toml, /etc/kiriminaja/api_key",
    )]);
    roff.text([roman(
        "With the Debian package: the settings of the kiriminaja-listen and kiriminaja-sync \
         services (no key in it), and their key (root only, mode 0600), which systemd hands them \
         as the credential api_key. Their data is in /var/lib/kiriminaja.",
    )]);
    roff.control("TP", []);
    roff.text([italic("~/.local/share/kiriminaja/parcels.db")]);
    roff.text([roman(
        "The parcel store (SQLite, mode 0600) on Linux, beside listen's events.jsonl: the \
         platform's data folder elsewhere; --store, KIRIMINAJA_STORE or store in the config file \
         point elsewhere. `kiriminaja store path` prints the one in use.",
    )]);

    // Only pages that exist: the parent's and each direct subcommand's.
    let mut see_also: Vec<String> = Vec::new();
    if let Some(parent) = parent {
        see_also.push(parent.to_owned());
    }
    see_also.extend(
        cmd.get_subcommands()
            .filter(|sub| !sub.is_hide_set())
            .map(page_name),
    );
    if !see_also.is_empty() {
        roff.control("SH", ["SEE ALSO"]);
        let refs: Vec<String> = see_also.iter().map(|name| format!("{name}(1)")).collect();
        roff.text([roman(refs.join(", "))]);
    }
    roff
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(page: &[u8]) -> String {
        String::from_utf8(page.to_vec())
            .unwrap()
            .replace("\\-", "-")
    }

    #[test]
    fn every_command_has_a_page_with_the_sections() {
        let pages = pages().unwrap();
        let names: Vec<&str> = pages.iter().map(|(name, _)| name.as_str()).collect();
        for name in [
            "kiriminaja.1",
            "kiriminaja-track.1",
            "kiriminaja-watch.1",
            "kiriminaja-decode-event.1",
            "kiriminaja-config.1",
            "kiriminaja-config-init.1",
            "kiriminaja-config-show.1",
            "kiriminaja-config-path.1",
            "kiriminaja-config-check.1",
            "kiriminaja-completions.1",
            "kiriminaja-man.1",
            "kiriminaja-help.1",
        ] {
            assert!(names.contains(&name), "no {name} in {names:?}");
        }
        for (name, page) in &pages {
            let page = text(page);
            for section in [
                ".SH OPTIONS",
                ".SH \"EXIT STATUS\"",
                ".SH ENVIRONMENT",
                ".SH FILES",
            ] {
                assert!(page.contains(section), "{name} has no {section}");
            }
            assert_eq!(page.matches(".ds Aq").count(), 2, "{name}: one preamble");
        }
    }
}
