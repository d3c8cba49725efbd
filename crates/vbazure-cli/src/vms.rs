//! `vbazure vms ...` (v8.1): the protected VMs.

use futures_util::StreamExt;
use vbazure::{ApiVersion, Appliance, ProtectedVm};

use crate::args::Vms;
use crate::exit::Exit;
use crate::output::Printer;
use crate::{error_line, needs_v8_1, Failure};

/// The protected-VM list is API v8.1's; on v1 a usage error before anything is sent.
pub(crate) fn check(version: ApiVersion) -> Result<(), Failure> {
    match version {
        ApiVersion::V1 => Err(needs_v8_1(&["vms list"], version)),
        ApiVersion::V8_1 => Ok(()),
    }
}

pub(crate) async fn run(
    appliance: &Appliance,
    command: &Vms,
    printer: &Printer,
) -> Result<Exit, Failure> {
    let Vms::List {
        search,
        offset,
        limit,
        all,
    } = command;
    let api = |e: vbazure::Error| Failure::api("protected VMs", &e);
    // A VM the client cannot read is named on stderr; the others are still listed.
    let mut unreadable = 0;
    let mut report = |e: &vbazure::Error| {
        unreadable += 1;
        eprintln!("error: {}", error_line("protected VMs", e));
    };
    let mut vms: Vec<ProtectedVm> = Vec::new();
    let mut footer = None;
    if *all {
        let mut stream = std::pin::pin!(appliance
            .protected_vms(*limit)
            .search(search.as_deref())
            .stream());
        while let Some(item) = stream.next().await {
            match item {
                Ok(vm) => vms.push(vm),
                Err(e) if matches!(e.kind(), vbazure::ErrorKind::UndecodableItem { .. }) => {
                    report(&e)
                }
                Err(e) => return Err(api(e)),
            }
        }
        footer = Some(format!("{} VM(s)", vms.len()));
    } else {
        let page = appliance
            .protected_vms_page(*offset, *limit)
            .search(search.as_deref())
            .send()
            .await
            .map_err(api)?;
        let shown_count = page.vms.len() as u64;
        for item in page.vms {
            match item {
                Ok(vm) => vms.push(vm),
                Err(bad) => report(&vbazure::Error::undecodable_item(
                    vbazure::operations::v8_1::LIST_PROTECTED_VIRTUAL_MACHINES,
                    bad,
                )),
            }
        }
        let shown = if shown_count == 0 {
            "none".to_string()
        } else {
            format!(
                "{}-{}",
                page.offset.saturating_add(1),
                page.offset.saturating_add(shown_count)
            )
        };
        let total = page
            .total_count
            .map_or_else(|| "?".to_string(), |n| n.to_string());
        footer.get_or_insert(format!("VMs {shown} of {total}"));
    }
    printer.objects(&vms);
    printer.rows(&vms)?;
    if let (Some(footer), false) = (footer, printer.structured()) {
        printer.summary(&footer);
    }
    Ok(if unreadable > 0 { Exit::Api } else { Exit::Ok })
}
