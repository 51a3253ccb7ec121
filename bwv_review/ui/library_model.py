"""A Qt table model over a FrameTable: only the visible cells are ever turned into text,
and filtering or sorting swaps one index array, so a million rows stay responsive."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from bwv_review.domain.frame_table import FrameFilter, FrameTable, IndexArray

Index = QModelIndex | QPersistentModelIndex


class FrameTableModel(QAbstractTableModel):
    def __init__(self, table: FrameTable | None = None) -> None:
        super().__init__()
        self._table = table
        self._rows: IndexArray = table.all_rows() if table else np.empty(0, dtype=np.int64)
        self._sort: tuple[int, Qt.SortOrder] | None = None

    @property
    def table(self) -> FrameTable | None:
        return self._table

    @property
    def visible_rows(self) -> IndexArray:
        return self._rows

    def set_table(self, table: FrameTable) -> None:
        self.beginResetModel()
        self._table = table
        self._rows = table.all_rows()
        self._sort = None
        self.endResetModel()

    def apply_filter(self, wanted: FrameFilter) -> None:
        if self._table is None:
            return
        self.beginResetModel()
        self._rows = self._table.filter(wanted)
        if self._sort is not None:
            self._rows = self._sorted(self._rows, *self._sort)
        self.endResetModel()

    def _sorted(self, rows: IndexArray, column: int, order: Qt.SortOrder) -> IndexArray:
        assert self._table is not None
        key = self._table.columns[column].spec.key
        descending = order == Qt.SortOrder.DescendingOrder
        return self._table.sort(rows, key, descending=descending)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self._table is None or not 0 <= column < len(self._table.columns):
            return
        self.layoutAboutToBeChanged.emit()
        self._rows = self._sorted(self._rows, column, order)
        self._sort = (column, order)
        self.layoutChanged.emit()

    def row_id(self, row: int) -> int:
        assert self._table is not None
        return int(self._table.row_ids[self._rows[row]])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._table is None:
            return 0
        return len(self._table.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._table is None or not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            column = self._table.columns[index.column()]
            return column.display(int(self._rows[index.row()]))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or self._table is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._table.columns[section].spec.label
        return str(section + 1)
