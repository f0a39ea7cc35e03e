"""The static website of an edition (``nhr site``)."""
