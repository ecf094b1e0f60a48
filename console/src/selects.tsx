/** The lists that choose a department or a jurisdiction of the registries in forms (names.tsx loads them). */
import { Select, type SelectProps } from 'antd';
import { useNames } from './names.tsx';

const matches = (input: string, option?: { label?: unknown; value?: unknown }) =>
  `${String((option?.label as string | undefined) ?? '')} ${String((option?.value as string | undefined) ?? '')}`
    .toLowerCase()
    .includes(input.trim().toLowerCase());

/** Chooses a department of the registry by its name (searchable by name or code). */
export function DepartmentSelect(props: SelectProps<string> & { jurisdiction?: string | undefined }) {
  const names = useNames();
  const { jurisdiction, ...rest } = props;
  const options = names.departments
    .filter((d) => !jurisdiction || d.jurisdiction === jurisdiction)
    .map((d) => ({ value: d.code, label: d.name === d.code ? `${d.code}（未命名）` : d.name }));
  return (
    <Select
      showSearch={{ filterOption: matches }}
      placeholder="选择部门"
      notFoundContent="没有该部门，请管理员先在 系统管理 › 部门 中登记"
      options={options}
      {...rest}
    />
  );
}

/** Chooses a jurisdiction of the registry (晋城市 and its counties) by its name. */
export function JurisdictionSelect(props: SelectProps<string>) {
  const names = useNames();
  return (
    <Select
      placeholder="选择辖区"
      options={names.jurisdictions.map((j) => ({ value: j.code, label: j.name }))}
      {...props}
    />
  );
}
