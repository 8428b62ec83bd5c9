"""What is made from a report: files of other formats. No widgets here."""
