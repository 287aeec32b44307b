from pctp.areas.services import REASON_TEXT, watch_run
from pctp.core.jobs import JobCommand


class Command(JobCommand):
    help = ("The monthly relapse watch of transformed key areas: crimes and the data-driven "
            "criteria over the 12 months ending with each completed month of the watch window, "
            "against the level at selection. Flags relapses and alerts the leaders. Dry run "
            "unless --commit; each month is checked once.")
    task = "pctp.areas.tasks:watch_areas"
    commit_help = "write the checks, flag relapses and alert (without it: show)"

    def run(self, when, commit):
        return watch_run(today=when, commit=commit)

    def report(self, run):
        self.stdout.write(f"Areas under watch: {run.areas}")
        for area, result in run.checks:
            reasons = "; ".join(REASON_TEXT.get(r, r) for r in result["reasons"])
            self.stdout.write(f"  {area.pk:<6} {area.name[:40]:<40} {result['month']:%m/%Y} "
                              f"{result['level']:<8} {result['crimes']}/{result['baseline']} "
                              f"{reasons}")
        self.stdout.write(f"Relapsed: {len(run.relapsed)}; warnings: {len(run.warnings)}")
