"""Which population database the portal checks identified reporters against: the local
registry table (RegistryPerson, the demo's and a first run's) or the national service over
HTTP (pctp.integrations.population.HttpAdapter), per PCTP_POPULATION_ADAPTER."""

from __future__ import annotations

from django.conf import settings

from pctp.integrations.population import HttpAdapter, PopulationAdapter, Verification, norm_name


class LocalRegistryAdapter:
    def verify(self, personal_id: str, full_name: str) -> Verification:
        from pctp.portal.models import RegistryPerson

        person = RegistryPerson.objects.filter(personal_id=personal_id).first()
        if person is None:
            return Verification("mismatch", "unknown number")
        if norm_name(person.full_name) != norm_name(full_name):
            return Verification("mismatch", "name differs")
        return Verification("matched")



def population_adapter() -> PopulationAdapter:
    kind = settings.PCTP_POPULATION_ADAPTER
    if kind == "http":
        return HttpAdapter(settings.PCTP_POPULATION_URL, settings.PCTP_POPULATION_TOKEN)
    return LocalRegistryAdapter()
