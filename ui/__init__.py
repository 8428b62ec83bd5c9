"""The window: Qt widgets only. They read and change reports through models.report."""
