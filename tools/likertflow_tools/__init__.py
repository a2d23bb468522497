"""What people run by hand beside the workflow: drafting a codebook from an export, generating
synthetic exports, rendering config/README.md from the schemas. The workflow never imports this
package; it imports the runtime library, ``likertflow`` (workflow/scripts/likertflow/).

The command ``likertflow`` (``python -m likertflow_tools`` is the same), installed with the
project by ``pip install -r requirements.txt``: ``likertflow --help``.
"""
