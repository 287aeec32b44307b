"""Content-Security-Policy exceptions shared by pages (django-csp's @csp_update)."""

# Plotly.js injects its stylesheet at run time; only the map pages allow inline styles
# (never inline scripts).
PLOTLY_CSP = {"style-src": ["'unsafe-inline'"]}
