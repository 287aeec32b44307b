"""What a source's decisions tell the apps above it (sources know nothing of cases)."""

from django.dispatch import Signal

# Sent inside the transaction of a decision to initiate a criminal case (kwargs: source,
# actor). The cases app opens or links the case; if it cannot, the decision is undone.
source_initiated = Signal()
