"""Generated documents: official Word files laid out to Decree 30/2020/NĐ-CP."""
