"""Electronic contracts (电子签约).

The modules here are the pure engines: `pdf` renders contracts, `ca` runs the platform
certificate authority, `signing` signs and verifies PAdES signatures and `completion`
issues the certificate of completion. None of them imports Django, so they run and are
tested without settings or a database; the app's services call them through these seams.
"""
