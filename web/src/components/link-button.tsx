import { Button, type ButtonProps } from 'antd';

/** Looks like a link, acts like a button (reachable by keyboard, no fake href). */
export function LinkButton(props: Omit<ButtonProps, 'type'>) {
  return <Button type="link" size="small" style={{ padding: 0, height: 'auto' }} {...props} />;
}
