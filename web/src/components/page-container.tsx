import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

/** The head of every page: its title, an optional line under it and the page's own actions. */
export function PageContainer({
  title,
  subTitle,
  extra,
  children,
}: {
  title: ReactNode;
  subTitle?: ReactNode;
  extra?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <section className="tb-page">
      <Flex justify="space-between" align="start" wrap gap="middle" style={{ marginBottom: 16 }}>
        <div>
          <Typography.Title level={2} style={{ margin: 0, fontSize: 22 }}>
            {title}
          </Typography.Title>
          {subTitle ? (
            <Typography.Paragraph style={{ margin: '4px 0 0' }}>{subTitle}</Typography.Paragraph>
          ) : null}
        </div>
        {extra ? (
          <Flex gap="small" wrap>
            {extra}
          </Flex>
        ) : null}
      </Flex>
      {children}
    </section>
  );
}
