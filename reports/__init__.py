"""What is made from a report: files of other formats. No widgets here."""

import os

# python-docx (the Word file) brings lxml, and openpyxl prefers lxml to the stdlib
# parser whenever it is installed; workbooks from USB sticks must still be parsed by
# defusedxml, which refuses XML bombs and external entities (reports.workbook.opening).
# openpyxl reads this when first imported, and it is imported only under reports/.
os.environ["OPENPYXL_LXML"] = "False"
