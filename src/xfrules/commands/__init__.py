"""Subcommands of the ``xfrules`` CLI, one module each (see ``xfrules.cli.COMMANDS``)."""
