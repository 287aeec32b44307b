from pctp.law.services import offences_load


def seed(*, password: str, stdout) -> dict:
    stdout.write("Loading the Penal Code's offences…")
    offences_load(actor=None)
    from pctp.law.models import Offence, OffenceClause

    return {"offences": Offence.objects.count(), "clauses": OffenceClause.objects.count()}
