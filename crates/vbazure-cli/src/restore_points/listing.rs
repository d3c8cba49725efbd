//! Every restore point of a kind, read page after page, and `restore-points list`.

use futures_util::StreamExt;
use vbazure::{Appliance, ErrorKind, Workload};

use super::args::ListArgs;
use super::point::Point;
use super::resolve;
use super::select::{select, Criteria};
use crate::exit::Exit;
use crate::output::Printer;
use crate::{error_line, Failure};

/// The page size of the listing.
pub(crate) const LISTING_PAGE: u32 = 1000;

/// The points of `workload`, and how many the appliance listed that the client cannot read
/// (each named on stderr).
pub(crate) async fn every_point(
    appliance: &Appliance,
    workload: Workload,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Vec<Point>, usize), Failure> {
    let context = format!("{workload} restore points");
    let mut points = Vec::new();
    let mut unreadable = 0;
    let mut stream = std::pin::pin!(appliance.restore_points(workload, LISTING_PAGE).stream());
    while let Some(item) = stream.next().await {
        match item {
            Ok(point) => points.push(Point::new(point, now)),
            Err(e) if matches!(e.kind(), ErrorKind::UndecodableItem { .. }) => {
                unreadable += 1;
                eprintln!("error: {}", error_line(&context, &e));
            }
            Err(e) => return Err(Failure::api(&context, &e)),
        }
    }
    tracing::debug!(points = points.len(), "restore points listed");
    Ok((points, unreadable))
}

/// `restore-points list`: the points the selectors match. Without `--keep-last` every point
/// matched is listed, each item's newest included; with it, each item's newest N are left out
/// (what a deletion with the same selectors would consider).
pub(crate) async fn list(
    appliance: &Appliance,
    args: &ListArgs,
    printer: &Printer,
) -> Result<Exit, Failure> {
    let selectors = &args.selectors;
    let workload = selectors.kind.workload();
    let now = chrono::Utc::now();
    let (points, unreadable) = every_point(appliance, workload, now).await?;
    let scope = resolve::scope(
        appliance,
        workload,
        &selectors.items,
        &[],
        &points,
        &crate::journal::Read::default(),
    )
    .await?;
    let criteria = Criteria {
        older_than: selectors.older_than,
        keep: selectors.keep_last.map_or(0, |n| n as usize),
        destinations: selectors
            .destinations
            .iter()
            .map(|d| d.destination())
            .collect(),
        scope,
    };
    let listed = points.len();
    let selection = select(points, &criteria, now);
    printer.objects(&selection.chosen);
    printer.rows(&selection.chosen)?;
    if !printer.structured() {
        let mut footer = format!(
            "{} of {listed} {workload} restore point(s)",
            selection.chosen.len()
        );
        if selection.kept > 0 {
            footer.push_str(&format!(
                " ({} left out: the newest of their items, --keep-last)",
                selection.kept
            ));
        }
        printer.summary(&footer);
    }
    Ok(if unreadable > 0 { Exit::Api } else { Exit::Ok })
}
